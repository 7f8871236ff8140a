package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.identity.policy.DataCategory;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of documents in a record, each read under its own category of the profession matrix. */
public enum DocumentKind {
    PRESCRIPTION(DataCategory.PRESCRIPTION),
    LAB_RESULT(DataCategory.LAB_RESULT),
    DISCHARGE_REPORT(DataCategory.DISCHARGE_REPORT),
    IMAGING_REPORT(DataCategory.IMAGING_REPORT),
    VACCINATION_CERTIFICATE(DataCategory.VACCINATION_CERTIFICATE),
    OTHER(DataCategory.OTHER_DOCUMENT);

    private final DataCategory category;

    DocumentKind(DataCategory category) {
        this.category = category;
    }

    public DataCategory category() {
        return category;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DocumentKind parse(Object raw, String field) {
        for (DocumentKind kind : values()) {
            if (kind.wireName().equals(raw)) {
                return kind;
            }
        }
        throw ApiError.invalidField(field, "kind must be one of "
                + Arrays.stream(values()).map(DocumentKind::wireName).collect(Collectors.joining(", ")) + ".");
    }
}
