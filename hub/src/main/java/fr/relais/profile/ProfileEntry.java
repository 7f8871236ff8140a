package fr.relais.profile;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** One live entry of a profile section, at its current version. */
public record ProfileEntry(UUID id, ProfileSection section, int version, JsonObject data, Instant updatedAt) {
    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("section", section.wireName()).put("version", version)
                .put("data", data).put("updatedAt", updatedAt.toString());
    }
}
