package fr.relais.gateway.ws;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.stream.StreamCommands;
import java.util.Optional;

/**
 * Who may follow a stream (socket subscription or event stream): people theirs, integrators granted stream:read
 * theirs, a catalogue app its consenting patient's (what the consent covers).
 */
final class StreamAccess {
    private StreamAccess() {
    }

    static Optional<ApiError> refusal(Principal who) {
        if (who.is(Principal.Kind.INTEGRATOR) && !who.isApp() && !who.hasScope(StreamCommands.READ_SCOPE)) {
            return Optional.of(ApiError.of(403, "insufficient_scope",
                    "Following the stream needs the scope " + StreamCommands.READ_SCOPE + "."));
        }
        return Optional.empty();
    }
}
