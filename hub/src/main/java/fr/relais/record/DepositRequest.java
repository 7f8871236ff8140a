package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.web.ContentTypes;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;

/** A document as a depositor sends it, checked at the edge. */
record DepositRequest(DocumentKind kind, String title, LocalDate careDate, String format, byte[] content,
                      String idempotencyKey) {
    private static final Set<String> FORMATS = Set.of(ContentTypes.PDF, ContentTypes.JPEG, ContentTypes.PNG,
            ContentTypes.XML, ContentTypes.TEXT);

    static DepositRequest parse(JsonObject json, int maxSize, LocalDate today) {
        DocumentKind kind = DocumentKind.parse(json.getValue("kind"), "kind");
        String title = json.getValue("title") instanceof String t && !t.isBlank() && t.length() <= 300 ? t.strip() : null;
        if (title == null) {
            throw ApiError.invalidField("title", "A title has 1 to 300 characters.");
        }
        LocalDate careDate;
        try {
            careDate = LocalDate.parse(String.valueOf(json.getValue("careDate")));
        } catch (DateTimeParseException e) {
            throw ApiError.invalidField("careDate", "careDate is a date such as 2026-11-23.");
        }
        if (careDate.isAfter(today.plusDays(1)) || careDate.isBefore(LocalDate.of(1900, 1, 1))) {
            throw ApiError.invalidField("careDate", "careDate cannot be in the future.");
        }
        String declared = json.getValue("contentType") instanceof String c ? c : "";
        if (!FORMATS.contains(declared)) {
            throw ApiError.of(415, "document_type_refused", "Documents are PDF, JPEG, PNG, or CDA as XML or text.")
                    .with("field", "contentType");
        }
        byte[] content;
        try {
            content = Base64.getDecoder().decode(json.getString("data", ""));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw ApiError.invalidField("data", "The document's content must be base64.");
        }
        if (content.length == 0) {
            throw ApiError.invalidField("data", "The document is empty.");
        }
        if (content.length > maxSize) {
            throw ApiError.of(413, "document_too_large", "A document may have at most " + maxSize + " bytes.").with("field", "data");
        }
        String detected = ContentTypes.detectDocument(content);
        if (detected == null || !detected.equals(declared)) {
            throw ApiError.of(415, "document_type_mismatch", "The content is " + (detected == null ? "not an accepted format" : detected)
                    + ", not " + declared + ".").with("field", "contentType");
        }
        String key = json.getValue("idempotencyKey") instanceof String k && !k.isBlank() && k.length() <= 200 ? k : null;
        return new DepositRequest(kind, title, careDate, declared, content, key);
    }
}
