package fr.relais.identity.oidc;

import fr.relais.config.AuthConfig;
import fr.relais.error.ApiError;
import fr.relais.identity.Tokens;
import fr.relais.identity.token.Jwk;
import fr.relais.identity.token.Jws;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks ID tokens from configured OpenID Connect providers (such as Pro Santé Connect) and returns the RPPS
 * number they assert. Each provider's keys come from its JWKS URL, cached; a token naming an unknown {@code kid}
 * makes the cache refresh (at most every few seconds per provider). Issuer, audience, expiry and not-before are
 * checked; only RS256 and ES256 signatures are accepted; a token is accepted once ({@link UsedIdTokens}). The client
 * obtains the token from the provider itself, so no nonce of ours is in it: a {@code nonce} claim is not checked.
 */
public final class ExternalIdentityProviders {
    private static final Logger log = LoggerFactory.getLogger(ExternalIdentityProviders.class);
    private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private record Keys(Map<String, PublicKey> byKid, Instant fetchedAt) {
    }

    private final WebClient http;
    private final List<AuthConfig.OidcIssuer> issuers;
    private final Duration clockSkew;
    private final Clock clock;
    private final UsedIdTokens used;
    private final Map<String, Keys> cache = new ConcurrentHashMap<>();

    public ExternalIdentityProviders(WebClient http, List<AuthConfig.OidcIssuer> issuers, Duration clockSkew, Clock clock,
                                     UsedIdTokens used) {
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
        Jws jws = Jws.parse(idToken).orElse(null);
        if (jws == null) {
            return Future.failedFuture(invalid("The identity token is not a signed JWT."));
        }
        Object iss = jws.payload().getValue("iss");
        AuthConfig.OidcIssuer issuer = issuers.stream().filter(i -> i.issuer().equals(iss)).findFirst().orElse(null);
        if (issuer == null) {
            return Future.failedFuture(invalid("The identity token comes from an issuer that is not trusted here."));
        }
        if (!List.of("RS256", "ES256").contains(jws.algorithm())) {
            return Future.failedFuture(invalid("The identity token's algorithm is not accepted."));
        }
        String kid = jws.keyId().orElse("");
        return key(issuer, kid).compose(key -> {
            if (key.isEmpty() || !jws.verifiedBy(key.get())) {
                return Future.failedFuture(invalid("The identity token's signature is not valid."));
            }
            return claimsOf(jws.payload(), issuer).compose(rpps -> used.spend(tokenHash(issuer, jws.payload(), idToken),
                    Instant.ofEpochSecond(jws.payload().getLong("exp")).plus(clockSkew)).map(rpps));
        });
    }

    /** Names the token by its issuer and {@code jti} (two tokens with one jti are one token), else by all of it. */
    private static byte[] tokenHash(AuthConfig.OidcIssuer issuer, JsonObject claims, String idToken) {
        Object jti = claims.getValue("jti");
        return Tokens.sha256(jti instanceof String id && !id.isBlank() ? "jti " + issuer.issuer() + " " + id : "token " + idToken);
    }

    private Future<String> claimsOf(JsonObject claims, AuthConfig.OidcIssuer issuer) {
        Instant now = clock.instant();
        Object aud = claims.getValue("aud");
        boolean audienceOk = issuer.audience().equals(aud) || (aud instanceof JsonArray many && many.contains(issuer.audience()));
        if (!audienceOk) {
            return Future.failedFuture(invalid("The identity token is meant for another audience."));
        }
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

    private Future<Optional<PublicKey>> key(AuthConfig.OidcIssuer issuer, String kid) {
        Keys keys = cache.get(issuer.name());
        if (keys != null && keys.byKid().containsKey(kid)) {
            return Future.succeededFuture(Optional.of(keys.byKid().get(kid)));
        }
        if (keys != null && keys.fetchedAt().plus(MIN_REFRESH_INTERVAL).isAfter(clock.instant())) {
            return Future.succeededFuture(Optional.empty());
        }
        return fetch(issuer).map(fresh -> Optional.ofNullable(fresh.byKid().get(kid)));
    }

    private Future<Keys> fetch(AuthConfig.OidcIssuer issuer) {
        return http.getAbs(issuer.jwksUrl()).timeout(Duration.ofSeconds(10).toMillis()).send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("JWKS answered " + response.statusCode());
                    }
                    Map<String, PublicKey> byKid = new HashMap<>();
                    for (Object entry : response.bodyAsJsonObject().getJsonArray("keys", new JsonArray())) {
                        if (entry instanceof JsonObject jwk && jwk.getString("kid") != null) {
                            try {
                                byKid.put(jwk.getString("kid"), Jwk.toPublicKey(jwk));
                            } catch (GeneralSecurityException | IllegalArgumentException e) {
                                log.debug("skipping a key of {}: {}", issuer.name(), e.getMessage());
                            }
                        }
                    }
                    Keys keys = new Keys(Map.copyOf(byKid), clock.instant());
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
