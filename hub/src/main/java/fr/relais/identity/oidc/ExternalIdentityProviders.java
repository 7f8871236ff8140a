package fr.relais.identity.oidc;

import fr.relais.config.AuthConfig;
import fr.relais.error.ApiError;
import fr.relais.identity.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.impl.jose.JWT;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks ID tokens from configured OpenID Connect providers (such as Pro Santé Connect) and returns the RPPS
 * number they assert. Vert.x Auth JWT verifies the signature with the provider's keys ({@link ProviderKeys}) and
 * checks the issuer and audience; expiry and not-before are checked here against the hub's clock, with
 * {@code auth.clockSkew}. A token naming an unknown {@code kid} makes the keys be fetched again (at most every few
 * seconds per provider). A token is accepted once ({@link UsedIdTokens}). The client obtains the token from the
 * provider itself, so no nonce of ours is in it: a {@code nonce} claim is not checked.
 */
public final class ExternalIdentityProviders {
    private static final Logger log = LoggerFactory.getLogger(ExternalIdentityProviders.class);
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private record Keys(JWTAuth jwt, Instant fetchedAt) {
    }

    private final Vertx vertx;
    private final WebClient http;
    private final List<AuthConfig.OidcIssuer> issuers;
    private final Duration clockSkew;
    private final Clock clock;
    private final UsedIdTokens used;
    private final Map<String, Keys> cache = new ConcurrentHashMap<>();

    public ExternalIdentityProviders(Vertx vertx, WebClient http, List<AuthConfig.OidcIssuer> issuers, Duration clockSkew,
                                     Clock clock, UsedIdTokens used) {
        this.vertx = vertx;
        this.http = http;
        this.issuers = issuers;
        this.clockSkew = clockSkew;
        this.clock = clock;
        this.used = used;
    }

    /**
     * The RPPS number asserted by a valid ID token used for the first time; fails 401 {@code external_token_invalid}
     * or {@code token_replayed} otherwise.
     */
    public Future<String> rppsOf(String idToken) {
        AuthConfig.OidcIssuer issuer;
        try {
            // unverified: it only says whose keys to verify with, and the verification checks the issuer again
            Object iss = JWT.parse(idToken).getJsonObject("payload").getValue("iss");
            issuer = issuers.stream().filter(i -> i.issuer().equals(iss)).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return Future.failedFuture(invalid("The identity token is not a signed JWT."));
        }
        if (issuer == null) {
            return Future.failedFuture(invalid("The identity token comes from an issuer that is not trusted here."));
        }
        return verified(issuer, idToken).compose(claims -> claimsOf(claims, issuer)
                .compose(rpps -> used.spend(tokenHash(issuer, claims, idToken),
                        Instant.ofEpochSecond(claims.getLong("exp")).plus(clockSkew)).map(rpps)));
    }

    /** The claims of a token whose signature, issuer and audience hold; fetches the keys again on an unknown kid. */
    private Future<JsonObject> verified(AuthConfig.OidcIssuer issuer, String idToken) {
        Keys known = cache.get(issuer.name());
        Future<Keys> keys = known != null ? Future.succeededFuture(known) : fetch(issuer);
        return keys.compose(current -> check(current, idToken).recover(failure -> {
            boolean unknownKey = current.jwt() == null
                    || failure instanceof NoSuchKeyIdException missing && ProviderKeys.acceptsAlgorithmOf(missing.id());
            return unknownKey && current.fetchedAt().plus(MIN_REFRESH_INTERVAL).isBefore(clock.instant())
                    ? fetch(issuer).compose(fresh -> check(fresh, idToken))
                    : Future.failedFuture(failure);
        })).recover(failure -> Future.failedFuture(failure instanceof ApiError ? failure
                : invalid("The identity token's signature is not valid for this provider.")));
    }

    private static Future<JsonObject> check(Keys keys, String idToken) {
        if (keys.jwt() == null) {
            return Future.failedFuture(invalid("The identity provider publishes no key accepted here."));
        }
        return Future.<Void>succeededFuture()
                .compose(v -> keys.jwt().authenticate(new TokenCredentials(idToken)))
                .map(user -> user.attributes().getJsonObject("accessToken"));
    }

    /**
     * Names the token by its issuer and {@code jti} (two tokens with one jti are one token), else by what its
     * signature covers: an ECDSA signature can be rewritten without the key ((r, n-s), or in DER), the claims not.
     */
    private static byte[] tokenHash(AuthConfig.OidcIssuer issuer, JsonObject claims, String idToken) {
        Object jti = claims.getValue("jti");
        return Tokens.sha256(jti instanceof String id && !id.isBlank() ? "jti " + issuer.issuer() + " " + id
                : "signed " + idToken.substring(0, idToken.lastIndexOf('.')));
    }

    private Future<String> claimsOf(JsonObject claims, AuthConfig.OidcIssuer issuer) {
        Instant now = clock.instant();
        if (!(claims.getValue("exp") instanceof Number exp) || Instant.ofEpochSecond(exp.longValue()).plus(clockSkew).isBefore(now)) {
            return Future.failedFuture(invalid("The identity token has expired."));
        }
        if (claims.getValue("nbf") instanceof Number nbf && Instant.ofEpochSecond(nbf.longValue()).minus(clockSkew).isAfter(now)) {
            return Future.failedFuture(invalid("The identity token is not valid yet."));
        }
        Object rpps = claims.getValue(issuer.rppsClaim());
        if (!(rpps instanceof String value) || value.isBlank()) {
            return Future.failedFuture(invalid("The identity token carries no RPPS number."));
        }
        return Future.succeededFuture(value);
    }

    private Future<Keys> fetch(AuthConfig.OidcIssuer issuer) {
        return http.getAbs(issuer.jwksUrl()).timeout(Duration.ofSeconds(10).toMillis()).send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("JWKS answered " + response.statusCode());
                    }
                    JWTOptions rules = new JWTOptions().setIssuer(issuer.issuer()).setAudience(List.of(issuer.audience()))
                            .setIgnoreExpiration(true);
                    Keys keys = new Keys(ProviderKeys.verifier(vertx, response.bodyAsJsonObject(), rules, issuer.name()),
                            clock.instant());
                    cache.put(issuer.name(), keys);
                    return keys;
                })
                .recover(failure -> {
                    log.warn("cannot fetch the keys of identity provider {}: {}", issuer.name(), failure.getMessage());
                    return Future.failedFuture(ApiError.of(503, "identity_provider_unavailable",
                            "The identity provider cannot be reached; try again shortly.").retryAfter(Duration.ofSeconds(10)));
                });
    }

    private static ApiError invalid(String detail) {
        return ApiError.of(401, "external_token_invalid", detail);
    }
}
