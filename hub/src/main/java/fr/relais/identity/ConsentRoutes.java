package fr.relais.identity;

import fr.relais.error.ApiError;
import fr.relais.identity.consent.AppConsents;
import fr.relais.identity.policy.AppScope;
import fr.relais.principal.Principal;
import fr.relais.web.InvalidCharacters;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Catalogue apps and the patients who connect them: the authorization server's metadata (RFC 8414), the checks and
 * the answer behind the hub's consent page ({@code /oauth/authorize}, served by the portal), and the patient's
 * list of connected apps with revocation. The token endpoint's grants for apps are in {@link AuthRoutes}.
 */
public final class ConsentRoutes {
    private static final Set<String> REQUEST_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "code_challenge", "code_challenge_method");

    private final AppConsents consents;
    private final Supplier<String> publicBaseUrl;

    ConsentRoutes(AppConsents consents, Supplier<String> publicBaseUrl) {
        this.consents = consents;
        this.publicBaseUrl = publicBaseUrl;
    }

    public void mount(Router api) {
        api.get("/oauth/authorize").handler(this::check);
        api.post("/oauth/authorize").handler(this::decide);
        api.get("/me/apps").handler(this::list);
        api.delete("/me/apps/:clientId").handler(this::revoke);
    }

    public void mountWellKnown(Router root) {
        root.get("/.well-known/oauth-authorization-server").handler(this::metadata);
    }

    private void metadata(RoutingContext rc) {
        String base = publicBaseUrl.get();
        rc.response().putHeader("Cache-Control", "public, max-age=3600");
        Responses.json(rc, 200, new JsonObject()
                .put("issuer", base)
                .put("authorization_endpoint", base + "/oauth/authorize")
                .put("token_endpoint", base + "/api/v1/oauth/token")
                .put("jwks_uri", base + "/.well-known/jwks.json")
                .put("scopes_supported", new JsonArray(List.copyOf(AppScope.wireNames())))
                .put("response_types_supported", new JsonArray().add("code"))
                .put("response_modes_supported", new JsonArray().add("query"))
                .put("grant_types_supported", new JsonArray().add("authorization_code").add("refresh_token").add("client_credentials"))
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("none").add("client_secret_basic").add("client_secret_post"))
                .put("code_challenge_methods_supported", new JsonArray().add("S256")));
    }

    /** What the consent page shows: the app and what it asks; the request's faults as problems (with where to go back). */
    private void check(RoutingContext rc) {
        consents.check(parameters(rc.queryParams()))
                .onSuccess(request -> Responses.json(rc, 200, request.toJson()))
                .onFailure(rc::fail);
    }

    /** The signed-in patient's answer: {@code {"request": {the query's parameters}, "decision": "grant"|"deny"}}. */
    private void decide(RoutingContext rc) {
        Principal who = Authentication.principal(rc);
        JsonObject body = Requests.json(rc);
        String decision = body.getValue("decision") instanceof String d ? d : "";
        if (!decision.equals("grant") && !decision.equals("deny")) {
            throw ApiError.invalidField("decision", "decision is \"grant\" or \"deny\".");
        }
        if (!(body.getValue("request") instanceof JsonObject request)) {
            throw ApiError.invalidField("request", "request is the object of the authorization request's parameters.");
        }
        Map<String, String> params = new HashMap<>();
        request.forEach(entry -> {
            if (!(entry.getValue() instanceof String value) || InvalidCharacters.in(value)) {
                throw ApiError.invalidField("request." + entry.getKey(), "Each parameter is a string.");
            }
            params.put(entry.getKey(), value);
        });
        consents.decide(who, params, decision.equals("grant"), Requests.ip(rc))
                .onSuccess(redirect -> Responses.json(rc, 200, new JsonObject().put("redirect", redirect)))
                .onFailure(rc::fail);
    }

    private void list(RoutingContext rc) {
        consents.list(Authentication.principal(rc)).onSuccess(apps -> Responses.json(rc, 200, apps)).onFailure(rc::fail);
    }

    private void revoke(RoutingContext rc) {
        consents.revoke(Authentication.principal(rc), rc.pathParam("clientId"), Requests.ip(rc))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    /** The request's parameters, each once (RFC 6749 §3.1: a repeated parameter is an invalid request). */
    private static Map<String, String> parameters(MultiMap query) {
        Map<String, String> params = new HashMap<>();
        for (String name : REQUEST_PARAMETERS) {
            List<String> values = query.getAll(name);
            if (values.size() > 1) {
                throw ApiError.badRequest("invalid_request", "The parameter " + name + " is given more than once.");
            }
            if (values.size() == 1) {
                if (InvalidCharacters.in(values.get(0))) {
                    throw InvalidCharacters.refused(name);
                }
                params.put(name, values.get(0));
            }
        }
        return params;
    }
}
