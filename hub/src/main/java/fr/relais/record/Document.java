package fr.relais.record;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A document's description (its content apart), as the record gives it. Deposited by a system, its author is the
 * organisation the system acts for ({@code authorName}, {@code organisationId}) and {@code via} names the system.
 */
public record Document(UUID id, DocumentKind kind, String title, LocalDate careDate, UUID authorId, String authorKind,
                       String authorName, UUID organisationId, String via, String contentType, int size, boolean hidden,
                       UUID replaces, Instant createdAt) {

    Document hidden(boolean now) {
        return new Document(id, kind, title, careDate, authorId, authorKind, authorName, organisationId, via, contentType, size,
                now, replaces, createdAt);
    }

    /** As the API writes it. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("id", id.toString()).put("kind", kind.wireName()).put("title", title)
                .put("careDate", careDate.toString())
                .put("authorId", authorId.toString()).put("authorKind", authorKind).put("authorName", authorName)
                .put("contentType", contentType).put("size", size).put("hidden", hidden)
                .put("createdAt", createdAt.toString());
        if (replaces != null) {
            json.put("replaces", replaces.toString());
        }
        if (organisationId != null) {
            json.put("organisationId", organisationId.toString()).put("via", via);
        }
        return json;
    }
}
