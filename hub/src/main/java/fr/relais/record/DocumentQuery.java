package fr.relais.record;

/**
 * The filters of a listing as the caller wrote them, each null when absent. They are checked only once the
 * caller is known to see the patient, so that a refused caller learns nothing from an error about a filter.
 */
public record DocumentQuery(String kind, String from, String to, String author, String before, Integer limit) {
    public static DocumentQuery all() {
        return new DocumentQuery(null, null, null, null, null, null);
    }
}
