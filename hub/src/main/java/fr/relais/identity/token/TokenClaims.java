package fr.relais.identity.token;

import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What an access token of ours says: who, which session, which scopes, until when. */
public record TokenClaims(UUID subject, Principal.Kind kind, UUID sessionId, Set<String> scopes, Profession profession,
                          Instant expiresAt) {

    public Principal principal() {
        return new Principal(subject, kind, sessionId, scopes, profession);
    }
}
