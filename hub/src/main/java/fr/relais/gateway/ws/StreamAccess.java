package fr.relais.gateway.ws;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.stream.StreamCommands;
import java.util.Optional;

/** Who may follow their stream (socket subscription or event stream): people, and integrators granted stream:read. */
final class StreamAccess {
    private StreamAccess() {
    }

    static Optional<ApiError> refusal(Principal who) {
        if (who.is(Principal.Kind.INTEGRATOR) && !who.hasScope(StreamCommands.READ_SCOPE)) {
            return Optional.of(ApiError.of(403, "insufficient_scope",
                    "Following the stream needs the scope " + StreamCommands.READ_SCOPE + "."));
        }
        return Optional.empty();
    }
}
