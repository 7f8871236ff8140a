package fr.relais.webhook;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** A system's webhook over REST: for systems that may read their stream ({@code stream:read}). */
final class WebhookRoutes {
    private final Webhooks webhooks;
    private final String scope;

    WebhookRoutes(Webhooks webhooks, String scope) {
        this.webhooks = webhooks;
        this.scope = scope;
    }

    void mount(Router api) {
        api.put("/webhook").handler(this::set);
        api.get("/webhook").handler(this::describe);
        api.delete("/webhook").handler(this::remove);
        api.post("/webhook/secret").handler(this::rotate);
        api.get("/webhook/dead-letters").handler(this::deadLetters);
        api.post("/webhook/dead-letters/:id/replay").handler(this::replay);
    }

    private void set(RoutingContext rc) {
        Principal system = system(rc);
        webhooks.set(system.id(), Requests.json(rc).getValue("url"))
                .onSuccess(json -> Responses.json(rc, json.getBoolean("created", false) ? 201 : 200, json)).onFailure(rc::fail);
    }

    private void describe(RoutingContext rc) {
        webhooks.describe(system(rc).id()).onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail);
    }

    private void remove(RoutingContext rc) {
        webhooks.remove(system(rc).id()).onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void rotate(RoutingContext rc) {
        webhooks.rotate(system(rc).id()).onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail);
    }

    private void deadLetters(RoutingContext rc) {
        webhooks.deadLetters(system(rc).id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void replay(RoutingContext rc) {
        Principal system = system(rc);
        webhooks.replay(system.id(), Fields.pathId(rc.pathParam("id"))).onSuccess(json -> Responses.json(rc, 200, json))
                .onFailure(rc::fail);
    }

    private Principal system(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.INTEGRATOR);
        if (!who.hasScope(scope)) {
            throw ApiError.of(403, "insufficient_scope", "Webhooks carry the system's stream: they need " + scope + ".");
        }
        return who;
    }
}
