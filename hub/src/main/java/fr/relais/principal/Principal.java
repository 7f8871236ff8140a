package fr.relais.principal;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as established from a valid access token and a live session.
 *
 * @param id         the account id, or the integrator's id
 * @param profession for professionals, else null
 * @param scopes     for integrators, what they were granted; empty for people
 */
public record Principal(UUID id, Kind kind, UUID sessionId, Set<String> scopes, Profession profession) {

    /** The kinds of principal, with their wire names. */
    public enum Kind {
        PATIENT, PROFESSIONAL, ADMIN, INTEGRATOR;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind fromWire(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** For the event bus between verticles (a trusted, internal channel). */
    public io.vertx.core.json.JsonObject toJson() {
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject().put("id", id.toString())
                .put("kind", kind.wireName()).put("sessionId", sessionId.toString())
                .put("scopes", new io.vertx.core.json.JsonArray(scopes.stream().sorted().toList()));
        if (profession != null) {
            json.put("profession", profession.wireName());
        }
        return json;
    }

    public static Principal fromJson(io.vertx.core.json.JsonObject json) {
        java.util.Set<String> scopes = new java.util.HashSet<>();
        json.getJsonArray("scopes", new io.vertx.core.json.JsonArray()).forEach(s -> scopes.add(s.toString()));
        String profession = json.getString("profession");
        return new Principal(UUID.fromString(json.getString("id")), Kind.fromWire(json.getString("kind")),
                UUID.fromString(json.getString("sessionId")), Set.copyOf(scopes),
                profession == null ? null : Profession.parse(profession, "profession"));
    }

    public boolean is(Kind wanted) {
        return kind == wanted;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
