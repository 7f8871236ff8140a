package fr.relais.push;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.net.OutboundEndpoints;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * People's devices over REST: the key browsers subscribe with, and each person's own devices. For patients and
 * professionals; systems, apps and admins have no device to notify ({@code 403 forbidden}).
 */
final class PushRoutes {
    private final PushSubscriptions subscriptions;
    private final OutboundEndpoints endpoints;
    private final Supplier<byte[]> applicationServerKey;
    private final boolean enabled;

    PushRoutes(PushSubscriptions subscriptions, OutboundEndpoints endpoints, Supplier<byte[]> applicationServerKey, boolean enabled) {
        this.subscriptions = subscriptions;
        this.endpoints = endpoints;
        this.applicationServerKey = applicationServerKey;
        this.enabled = enabled;
    }

    void mount(Router api) {
        api.get("/push/key").handler(this::key);
        api.post("/push/subscriptions").handler(this::subscribe);
        api.get("/push/subscriptions").handler(this::list);
        api.delete("/push/subscriptions/:id").handler(this::remove);
    }

    private void key(RoutingContext rc) {
        person(rc);
        offered();
        Responses.json(rc, 200, new JsonObject().put("applicationServerKey",
                Base64.getUrlEncoder().withoutPadding().encodeToString(applicationServerKey.get())));
    }

    private void subscribe(RoutingContext rc) {
        UUID person = person(rc);
        offered();
        JsonObject body = Requests.json(rc);
        SubscriptionInput input = SubscriptionInput.parse(body, endpoints, rc.request().getHeader("User-Agent"));
        endpoints.address(input.endpoint())
                .compose(checked -> subscriptions.register(person, input, body.getValue("label") != null))
                .onSuccess(registered -> Responses.json(rc, registered.created() ? 201 : 200, registered.device()))
                .onFailure(rc::fail);
    }

    private void list(RoutingContext rc) {
        subscriptions.list(person(rc)).onSuccess(devices -> Responses.json(rc, 200, devices)).onFailure(rc::fail);
    }

    private void remove(RoutingContext rc) {
        UUID person = person(rc);
        UUID id = Fields.pathId(rc.pathParam("id"));
        subscriptions.remove(person, id)
                .onSuccess(removed -> {
                    if (removed) {
                        Responses.noContent(rc);
                    } else {
                        rc.fail(ApiError.nothingHere());
                    }
                })
                .onFailure(rc::fail);
    }

    private void offered() {
        if (!enabled) {
            throw ApiError.notFound("push_unavailable", "This hub does not send push notifications.");
        }
    }

    private static UUID person(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL).id();
    }
}
