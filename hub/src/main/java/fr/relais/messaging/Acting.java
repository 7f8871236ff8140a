package fr.relais.messaging;

import fr.relais.error.ApiError;
import fr.relais.identity.policy.Delegations;
import fr.relais.principal.Principal;
import io.vertx.core.Future;

/**
 * Whom a messaging request acts as: the person calling, or, for a system, the professional it names in
 * {@code onBehalfOf}, who must have delegated to it. The system then has that professional's rights and no more.
 */
final class Acting {
    private final Delegations delegations;

    Acting(Delegations delegations) {
        this.delegations = delegations;
    }

    Future<Principal> as(Principal caller, Object onBehalfOf) {
        if (!caller.is(Principal.Kind.INTEGRATOR)) {
            return onBehalfOf == null ? Future.succeededFuture(caller)
                    : Future.failedFuture(ApiError.invalidField("onBehalfOf", "Only a system acts on someone's behalf."));
        }
        return delegations.actAs(caller, onBehalfOf);
    }
}
