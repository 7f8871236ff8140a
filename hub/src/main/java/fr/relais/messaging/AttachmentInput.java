package fr.relais.messaging;

import fr.relais.error.ApiError;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

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
        byte[] content;
        try {
            content = Base64.getDecoder().decode(json.getString("data", ""));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw ApiError.invalidField(field + ".data", "The file content must be base64.");
        }
        if (content.length == 0) {
            throw ApiError.invalidField(field + ".data", "The file is empty.");
        }
        if (content.length > maxSize) {
            throw ApiError.of(413, "attachment_too_large", "A file may have at most " + maxSize + " bytes.").with("field", field);
        }
        String detected = detect(content);
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

    private static String detect(byte[] b) {
        if (b.length >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') {
            return "application/pdf";
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return "image/png";
        }
        return null;
    }
}
