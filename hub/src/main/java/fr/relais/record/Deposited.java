package fr.relais.record;

import io.vertx.core.json.JsonObject;

/** The result of a deposit: the document, and whether it was deposited before with the same idempotency key. */
public record Deposited(Document document, boolean replayed) {
    /** As the API writes it: the document, marked {@code replayed} when it was. */
    public JsonObject toJson() {
        JsonObject json = document.toJson();
        return replayed ? json.put("replayed", true) : json;
    }
}
