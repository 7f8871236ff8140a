package fr.relais.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Every version of a profile entry, oldest first. */
public record EntryHistory(UUID id, List<Version> versions) {
    /** One change: {@code created}, {@code updated} or {@code deleted}, by whom and when. */
    public record Version(int version, String change, JsonObject data, UUID changedBy, String changedByKind, Instant changedAt) {
        JsonObject toJson() {
            return new JsonObject().put("version", version).put("change", change).put("data", data)
                    .put("changedBy", changedBy.toString()).put("changedByKind", changedByKind)
                    .put("changedAt", changedAt.toString());
        }
    }

    public JsonObject toJson() {
        JsonArray array = new JsonArray();
        versions.forEach(version -> array.add(version.toJson()));
        return new JsonObject().put("id", id.toString()).put("versions", array);
    }
}
