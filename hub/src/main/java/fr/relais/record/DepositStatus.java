package fr.relais.record;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One of a system's deposits as the system sees it: ids, kind and what became of it, never its title, its content
 * or the patient's id (the system may know the patient by their INS alone).
 * {@code status}: {@code replaced} once a new version superseded it, {@code opened} once its patient read it,
 * {@code accepted} before that. A document the patient deleted is no longer listed (the system was told).
 */
public record DepositStatus(UUID documentId, DocumentKind kind, LocalDate careDate, boolean hidden,
                            boolean replaced, Instant openedAt, String idempotencyKey, Instant createdAt) {
    public String status() {
        return replaced ? "replaced" : openedAt != null ? "opened" : "accepted";
    }

    public JsonObject toJson() {
        return new JsonObject().put("documentId", documentId.toString()).put("kind", kind.wireName()).put("careDate", careDate.toString()).put("status", status())
                .put("hidden", hidden).put("openedAt", openedAt == null ? null : openedAt.toString())
                .put("idempotencyKey", idempotencyKey).put("createdAt", createdAt.toString());
    }
}
