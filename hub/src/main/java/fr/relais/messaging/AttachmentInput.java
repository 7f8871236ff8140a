package fr.relais.messaging;

import fr.relais.error.ApiError;
import fr.relais.web.ContentTypes;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A file attached to a message, checked at the edge: its type is read from its first bytes (PDF, JPEG, PNG) and
 * must match the declared one; its size must be within the limit.
 */
record AttachmentInput(String filename, String contentType, byte[] content) {

    static AttachmentInput parse(JsonObject json, int index, int maxSize) {
        String field = "attachments[" + index + "]";
        String filename = json.getValue("filename") instanceof String f && !f.isBlank() && f.length() <= 200 ? f.strip() : null;
        if (filename == null || filename.contains("/") || filename.contains("\\")) {
            throw ApiError.invalidField(field + ".filename", "A file name has 1 to 200 characters and no path.");
        }
        String declared = json.getValue("contentType") instanceof String t ? t : "";
        byte[] content = Fields.base64(json, "data", field + ".data");
        if (content.length > maxSize) {
            throw ApiError.of(413, "attachment_too_large", "A file may have at most " + maxSize + " bytes.").with("field", field);
        }
        String detected = ContentTypes.detectBinary(content);
        if (detected == null) {
            throw ApiError.of(415, "attachment_type_refused", "Only PDF, JPEG and PNG files are accepted.").with("field", field);
        }
        if (!detected.equals(declared)) {
            throw ApiError.of(415, "attachment_type_mismatch", "The file's content is " + detected + ", not " + declared + ".")
                    .with("field", field);
        }
        return new AttachmentInput(filename, detected, content);
    }

    byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
