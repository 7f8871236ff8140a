package fr.relais.identity.token;

import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What an access token of ours says: who, which session, which scopes, until when; for a catalogue app, the patient
 * whose consent it carries.
 */
public record TokenClaims(UUID subject, Principal.Kind kind, UUID sessionId, Set<String> scopes, Profession profession,
                          Instant expiresAt, UUID patient) {

    public Principal principal() {
        return new Principal(subject, kind, sessionId, scopes, profession, null, patient);
    }
}
