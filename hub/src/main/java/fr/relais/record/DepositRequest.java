package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.web.ContentTypes;
import fr.relais.web.DateWindow;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
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
        LocalDate careDate = DateWindow.date(json.getValue("careDate"), "careDate");
        if (careDate.isAfter(today.plusDays(1))) {
            throw ApiError.invalidField("careDate", "careDate cannot be in the future.");
        }
        String declared = json.getValue("contentType") instanceof String c ? c : "";
        if (!FORMATS.contains(declared)) {
            throw ApiError.of(415, "document_type_refused", "Documents are PDF, JPEG, PNG, or CDA as XML or text.")
                    .with("field", "contentType");
        }
        byte[] content = Fields.base64(json, "data", "data");
        if (content.length > maxSize) {
            throw ApiError.of(413, "document_too_large", "A document may have at most " + maxSize + " bytes.").with("field", "data");
        }
        String detected = ContentTypes.detectDocument(content);
        if (detected == null || !detected.equals(declared)) {
            throw ApiError.of(415, "document_type_mismatch", "The content is " + (detected == null ? "not an accepted format" : detected)
                    + ", not " + declared + ".").with("field", "contentType");
        }
        String key = Fields.idempotencyKey(json.getValue("idempotencyKey"));
        return new DepositRequest(kind, title, careDate, declared, content, key);
    }
}
