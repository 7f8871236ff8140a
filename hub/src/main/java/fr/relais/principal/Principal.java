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

    public boolean is(Kind wanted) {
        return kind == wanted;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
