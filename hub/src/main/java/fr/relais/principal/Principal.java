package fr.relais.principal;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as established from a valid access token and a live session.
 *
 * @param id         the account id, or the integrator's id
 * @param profession for professionals, else null
 * @param scopes     for integrators, what they were granted; empty for people
 * @param via        the system acting on this professional's behalf (they delegated to it), or null: the person
 *                   acts themselves
 * @param patient    for a catalogue app, the patient whose consent its token carries (its scopes say what for);
 *                   else null
 */
public record Principal(UUID id, Kind kind, UUID sessionId, Set<String> scopes, Profession profession, Via via,
                        UUID patient) {

    /** A system acting for a professional: its id and its name (which people see as "via"). */
    public record Via(UUID systemId, String systemName) {
    }

    public Principal(UUID id, Kind kind, UUID sessionId, Set<String> scopes, Profession profession) {
        this(id, kind, sessionId, scopes, profession, null, null);
    }

    /** A catalogue app acting with {@code patient}'s consent, for what {@code scopes} say. */
    public static Principal app(UUID appId, UUID sessionId, Set<String> scopes, UUID patient) {
        return new Principal(appId, Kind.INTEGRATOR, sessionId, scopes, null, null, patient);
    }

    /** Whether this is a catalogue app acting with a patient's consent. */
    public boolean isApp() {
        return patient != null;
    }

    /** This professional, acting through {@code via}: the system's session, the professional's rights. */
    public Principal through(Via system, UUID systemSession) {
        return new Principal(id, kind, systemSession, Set.of(), profession, system, null);
    }

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
