package fr.relais.identity;

import fr.relais.error.ApiError;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.account.Provisioning;
import fr.relais.identity.consent.AppConsents;
import fr.relais.identity.login.ClientCredentials;
import fr.relais.identity.login.LoginService;
import fr.relais.identity.oidc.ExternalIdentityProviders;
import fr.relais.identity.token.SigningKeys;
import fr.relais.web.Fields;
import fr.relais.web.InvalidCharacters;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Logging in and out: people (password + emailed code, or an external identity provider) and integrators. */
public final class AuthRoutes {
    private final LoginService login;
    private final ClientCredentials clients;
    private final AppConsents consents;
    private final Provisioning provisioning;
    private final ExternalIdentityProviders providers;
    private final SigningKeys keys;
    private final IdentityContext ctx;

    public AuthRoutes(IdentityContext ctx, LoginService login, ClientCredentials clients, AppConsents consents,
                      Provisioning provisioning, ExternalIdentityProviders providers, SigningKeys keys) {
        this.ctx = ctx;
        this.login = login;
        this.clients = clients;
        this.consents = consents;
        this.provisioning = provisioning;
        this.providers = providers;
        this.keys = keys;
    }

    /** Routes under {@code /api/v1}. */
    public void mount(Router api) {
        api.post("/auth/login").handler(this::startLogin);
        api.post("/auth/login/verify").handler(this::verifyCode);
        api.post("/auth/refresh").handler(this::refresh);
        api.post("/auth/logout").handler(this::logout);
        api.get("/auth/password-policy").handler(this::passwordPolicy);
        api.post("/auth/activate").handler(this::activate);
        api.post("/auth/oppose").handler(this::oppose);
        api.post("/auth/oidc").handler(this::externalLogin);
        api.post("/oauth/token").handler(this::token);
    }

    /** Routes at the root of the server. */
    public void mountWellKnown(Router root) {
        root.get("/.well-known/jwks.json").handler(this::jwks);
    }

    private void startLogin(RoutingContext rc) {
        login.start(Requests.json(rc), Requests.ip(rc))
                .onSuccess(challenge -> Responses.json(rc, 200, challenge))
                .onFailure(rc::fail);
    }

    private void verifyCode(RoutingContext rc) {
        login.verify(Requests.json(rc), Requests.ip(rc))
                .onSuccess(pair -> Responses.json(rc, 200, pair.toJson()))
                .onFailure(rc::fail);
    }

    private void refresh(RoutingContext rc) {
        login.refresh(Requests.json(rc), Requests.ip(rc))
                .onSuccess(pair -> Responses.json(rc, 200, pair.toJson()))
                .onFailure(rc::fail);
    }

    private void logout(RoutingContext rc) {
        login.logout(Authentication.principal(rc), Requests.ip(rc))
                .onSuccess(v -> Responses.noContent(rc))
                .onFailure(rc::fail);
    }

    /** What a password must be, for the activation page to say before it is refused. */
    private void passwordPolicy(RoutingContext rc) {
        Responses.json(rc, 200, new io.vertx.core.json.JsonObject().put("minLength", ctx.auth().passwordMinLength())
                .put("maxLength", Fields.PASSWORD_MAX_LENGTH));
    }

    private void activate(RoutingContext rc) {
        provisioning.activate(Requests.json(rc), Requests.ip(rc))
                .onSuccess(account -> Responses.json(rc, 200, account.toJson()))
                .onFailure(rc::fail);
    }

    private void oppose(RoutingContext rc) {
        provisioning.oppose(Requests.json(rc), Requests.ip(rc))
                .onSuccess(v -> Responses.noContent(rc))
                .onFailure(rc::fail);
    }

    private void externalLogin(RoutingContext rc) {
        String idToken = Fields.text(Requests.json(rc), "idToken", 10, 16_384);
        providers.rppsOf(idToken)
                .compose(rpps -> Accounts.byRpps(ctx.pool(), rpps))
                .compose(account -> account
                        .map(found -> login.openSession(found, "oidc", Requests.ip(rc)))
                        .orElseGet(() -> io.vertx.core.Future.failedFuture(ApiError.of(401, "unknown_professional",
                                "No professional account holds this RPPS number."))))
                .onSuccess(pair -> Responses.json(rc, 200, pair.toJson()))
                .onFailure(rc::fail);
    }

    /**
     * The token endpoint, form-encoded: a system's client credentials, or a catalogue app's authorization code (with
     * its PKCE verifier) or refresh token; apps are public clients, named by {@code client_id}.
     */
    private void token(RoutingContext rc) {
        MultiMap form = rc.request().formAttributes();
        for (String name : form.names()) {
            if (form.getAll(name).size() > 1) {
                throw ClientCredentials.oauthError(400, "invalid_request", "invalid_request", "The parameter " + name
                        + " is given more than once.");
            }
            if (InvalidCharacters.in(form.get(name))) {
                throw InvalidCharacters.refused(name);
            }
        }
        String grant = form.get("grant_type");
        if ("authorization_code".equals(grant)) {
            answer(rc, consents.exchange(form.get("client_id"), form.get("code"), form.get("redirect_uri"),
                    form.get("code_verifier"), Requests.ip(rc)).map(AppConsents.Grant::toJson));
        } else if ("refresh_token".equals(grant)) {
            answer(rc, consents.refresh(form.get("client_id"), form.get("refresh_token")).map(AppConsents.Grant::toJson));
        } else if ("client_credentials".equals(grant)) {
            clientCredentials(rc, form);
        } else {
            throw ClientCredentials.oauthError(400, "unsupported_grant_type", "unsupported_grant_type",
                    "grant_type is client_credentials, authorization_code or refresh_token, sent as application/x-www-form-urlencoded.");
        }
    }

    private static void answer(RoutingContext rc, io.vertx.core.Future<JsonObject> grant) {
        grant.onSuccess(json -> {
            rc.response().putHeader("Pragma", "no-cache");
            Responses.json(rc, 200, json);
        }).onFailure(rc::fail);
    }

    /** RFC 6749 §4.4: the client authenticated by HTTP Basic or by form fields. */
    private void clientCredentials(RoutingContext rc, MultiMap form) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = rc.request().getHeader("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8)
                        .split(":", 2);
                clientId = java.net.URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
                secret = pair.length > 1 ? java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
            } catch (IllegalArgumentException e) {
                clientId = null;
            }
        }
        if (clientId == null || secret == null) {
            throw ClientCredentials.oauthError(401, "invalid_client", "invalid_client", "Send the client id and secret.");
        }
        if (InvalidCharacters.in(clientId) || InvalidCharacters.in(secret)) {
            throw InvalidCharacters.refused("Authorization");
        }
        answer(rc, clients.grant(clientId, secret, form.get("scope"), Requests.ip(rc)).map(grant -> new JsonObject()
                .put("access_token", grant.accessToken()).put("token_type", "Bearer")
                .put("expires_in", grant.expiresIn()).put("scope", String.join(" ", grant.scopes()))));
    }

    private void jwks(RoutingContext rc) {
        rc.response().putHeader("Content-Type", "application/jwk-set+json")
                .putHeader("Cache-Control", "public, max-age=60")
                .end(keys.jwks().encode());
    }
}
