package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.web.ContentTypes;
import fr.relais.web.DateWindow;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A document as a depositor sends it, checked field by field in the order a client reads the errors (the first
 * wrong field is named): only {@link #parse} and {@link #of} make one, so a request the record receives is valid.
 */
public final class DepositRequest {
    private static final Set<String> FORMATS = Set.of(ContentTypes.PDF, ContentTypes.JPEG, ContentTypes.PNG,
            ContentTypes.XML, ContentTypes.TEXT);

    private final PatientRef patient;
    private final DocumentKind kind;
    private final String title;
    private final LocalDate careDate;
    private final String format;
    private final byte[] content;
    private final UUID upload;
    private final String idempotencyKey;

    private DepositRequest(PatientRef patient, DocumentKind kind, String title, LocalDate careDate, String format,
                           byte[] content, UUID upload, String idempotencyKey) {
        this.patient = patient;
        this.kind = kind;
        this.title = title;
        this.careDate = careDate;
        this.format = format;
        this.content = content;
        this.upload = upload;
        this.idempotencyKey = idempotencyKey;
    }

    /**
     * A request body ({kind, title, careDate, contentType, data (base64) or uploadId, ins | patientId,
     * idempotencyKey?}), and the key its envelope carries (the {@code Idempotency-Key} header, a socket frame's
     * {@code idempotencyKey}), or null. A content named by {@code uploadId} was checked when it was uploaded; the
     * deposit takes it ({@link #withUploaded}).
     */
    public static DepositRequest parse(JsonObject body, String envelopeKey, DepositLimits limits) {
        String key = Fields.idempotencyKey(envelopeKey, body);
        PatientRef patient = PatientRef.from(body);
        if (body.containsKey("uploadId")) {
            if (body.containsKey("data")) {
                throw ApiError.invalidField("data", "Give the content in data or name an upload in uploadId, not both.");
            }
            UUID upload = Fields.uuid(body, "uploadId");
            DepositRequest checked = check(patient, body.getValue("kind"), body.getValue("title"), body.getValue("careDate"),
                    body.getValue("contentType"), () -> null, key, limits);
            return new DepositRequest(checked.patient, checked.kind, checked.title, checked.careDate, checked.format, null,
                    upload, checked.idempotencyKey);
        }
        return check(patient, body.getValue("kind"), body.getValue("title"), body.getValue("careDate"),
                body.getValue("contentType"), () -> Fields.base64(body, "data", "data"), key, limits);
    }

    /** The upload this request names, or null when its content came with it. */
    UUID upload() {
        return upload;
    }

    /** This request with the content of its upload, which must be of the declared type. */
    DepositRequest withUploaded(byte[] uploaded, String uploadedFormat) {
        if (!uploadedFormat.equals(format)) {
            throw ApiError.of(415, "document_type_mismatch", "The upload is " + uploadedFormat + ", not " + format + ".")
                    .with("field", "contentType");
        }
        return new DepositRequest(patient, kind, title, careDate, format, uploaded, upload, idempotencyKey);
    }

    /** A file another feature deposits for {@code patient}; kind, title and care date as its client wrote them. */
    public static DepositRequest of(PatientRef patient, Object kind, Object title, Object careDate, String contentType,
                                    byte[] content, String idempotencyKey, DepositLimits limits) {
        return check(patient, kind, title, careDate, contentType, () -> {
            if (content.length == 0) {
                throw ApiError.invalidField("data", "The content must be base64 and not empty.");
            }
            return content;
        }, idempotencyKey, limits);
    }

    private static DepositRequest check(PatientRef patient, Object rawKind, Object rawTitle, Object rawCareDate,
                                        Object rawFormat, Supplier<byte[]> rawContent, Object rawKey, DepositLimits limits) {
        DocumentKind kind = DocumentKind.parse(rawKind, "kind");
        String title = rawTitle instanceof String t && !t.isBlank() && t.length() <= 300 ? t.strip() : null;
        if (title == null) {
            throw ApiError.invalidField("title", "A title has 1 to 300 characters.");
        }
        LocalDate careDate = DateWindow.date(rawCareDate, "careDate");
        if (careDate.isAfter(limits.today().plusDays(1))) {
            throw ApiError.invalidField("careDate", "careDate cannot be in the future.");
        }
        String declared = format(rawFormat);
        byte[] content = rawContent.get();
        if (content != null) { // else named by an upload, checked as it was uploaded
            checkContent(content, declared, limits, "data");
        }
        return new DepositRequest(patient, kind, title, careDate, declared, content, null, Fields.idempotencyKey(rawKey));
    }

    /** A content type documents may have; 415 {@code document_type_refused} otherwise. */
    static String format(Object rawFormat) {
        String declared = rawFormat instanceof String c ? c : "";
        if (!FORMATS.contains(declared)) {
            throw ApiError.of(415, "document_type_refused", "Documents are PDF, JPEG, PNG, or CDA as XML or text.")
                    .with("field", "contentType");
        }
        return declared;
    }

    /** A document's content: within the size limit, and what its declared type says it is. */
    static void checkContent(byte[] content, String declared, DepositLimits limits, String field) {
        if (content.length > limits.maxDocumentSize()) {
            throw ApiError.of(413, "document_too_large", "A document may have at most " + limits.maxDocumentSize() + " bytes.")
                    .with("field", field);
        }
        String detected = ContentTypes.detectDocument(content);
        if (detected == null || !detected.equals(declared)) {
            throw ApiError.of(415, "document_type_mismatch", "The content is " + (detected == null ? "not an accepted format" : detected)
                    + ", not " + declared + ".").with("field", "contentType");
        }
    }

    PatientRef patient() {
        return patient;
    }

    DocumentKind kind() {
        return kind;
    }

    String title() {
        return title;
    }

    LocalDate careDate() {
        return careDate;
    }

    String format() {
        return format;
    }

    byte[] content() {
        return content;
    }

    String idempotencyKey() {
        return idempotencyKey;
    }

    /** What a retry with the same idempotency key must ask again: the request in its JSON form, key left out. */
    JsonObject asked() {
        JsonObject json = new JsonObject().put("kind", kind.wireName()).put("title", title).put("careDate", careDate.toString())
                .put("contentType", format);
        if (upload != null) {
            json.put("uploadId", upload.toString());
        } else {
            json.put("data", Base64.getEncoder().encodeToString(content));
        }
        patient.addTo(json);
        return json;
    }
}
