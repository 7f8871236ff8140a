package fr.relais.identity.token;

import fr.relais.error.ApiError;
import fr.relais.identity.Principal;
import fr.relais.identity.Profession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and checks the hub's access tokens: JWTs signed ES256 with a {@code kid}, short-lived.
 * Checking is strict: the algorithm must be ES256 (so "none", HS256 and RS256 are refused whatever the key),
 * the {@code kid} must be one of ours, and the issuer, audience, expiry and not-before must hold.
 */
public final class AccessTokens {
    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Duration clockSkew;
    private final Clock clock;
    /** Tokens whose signature was checked, with their claims: a client sends the same token many times. */
    private final java.util.Map<String, TokenClaims> verified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, TokenClaims> eldest) {
                    return size() > VERIFIED_CACHE_SIZE;
                }
            });
    private static final int VERIFIED_CACHE_SIZE = 100_000;

    public AccessTokens(SigningKeys keys, String issuer, String audience, Duration lifetime, Duration clockSkew, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(Principal principal) {
        Instant now = clock.instant();
        JsonObject payload = new JsonObject()
                .put("iss", issuer).put("aud", audience)
                .put("sub", principal.id().toString())
                .put("kind", principal.kind().wireName())
                .put("sid", principal.sessionId().toString())
                .put("iat", now.getEpochSecond()).put("nbf", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        if (!principal.scopes().isEmpty()) {
            payload.put("scope", String.join(" ", principal.scopes()));
        }
        if (principal.profession() != null) {
            payload.put("profession", principal.profession().wireName());
        }
        SigningKeys.Key key = keys.active();
        return Jws.signEs256(key.kid(), payload, key.privateKey());
    }

    /**
     * The token's claims; fails with 401 {@code token_expired} or {@code token_invalid}. A token already verified
     * skips the signature check (the costly part) but not the time checks; revocation is the session's business.
     */
    public Future<TokenClaims> verify(String token) {
        TokenClaims known = verified.get(token);
        if (known != null) {
            return known.expiresAt().plus(clockSkew).isBefore(clock.instant())
                    ? Future.failedFuture(ApiError.of(401, "token_expired", "The access token has expired; refresh it."))
                    : Future.succeededFuture(known);
        }
        Jws jws = Jws.parse(token).orElse(null);
        if (jws == null) {
            return Future.failedFuture(invalid("The access token is not a signed JWT."));
        }
        if (!"ES256".equals(jws.algorithm())) {
            return Future.failedFuture(invalid("The access token's algorithm is not accepted."));
        }
        String kid = jws.keyId().orElse(null);
        if (kid == null) {
            return Future.failedFuture(invalid("The access token names no key."));
        }
        return keys.publicKey(kid).map(key -> {
            if (key.isEmpty()) {
                throw invalid("The access token was signed with an unknown key.");
            }
            if (!jws.verifiedBy(key.get())) {
                throw invalid("The access token's signature is not valid.");
            }
            TokenClaims claims = claims(jws.payload());
            verified.put(token, claims);
            return claims;
        });
    }

    private TokenClaims claims(JsonObject payload) {
        Instant now = clock.instant();
        if (!issuer.equals(payload.getValue("iss"))) {
            throw invalid("The access token was issued by someone else.");
        }
        if (!hasAudience(payload.getValue("aud"))) {
            throw invalid("The access token is meant for another audience.");
        }
        long exp = number(payload, "exp");
        long nbf = payload.containsKey("nbf") ? number(payload, "nbf") : number(payload, "iat");
        if (Instant.ofEpochSecond(exp).plus(clockSkew).isBefore(now)) {
            throw ApiError.of(401, "token_expired", "The access token has expired; refresh it.");
        }
        if (Instant.ofEpochSecond(nbf).minus(clockSkew).isAfter(now)) {
            throw invalid("The access token is not valid yet.");
        }
        try {
            Set<String> scopes = new HashSet<>();
            String scope = payload.getString("scope");
            if (scope != null && !scope.isBlank()) {
                scopes.addAll(Set.of(scope.split(" ")));
            }
            String profession = payload.getString("profession");
            return new TokenClaims(UUID.fromString(payload.getString("sub")),
                    Principal.Kind.fromWire(payload.getString("kind")),
                    UUID.fromString(payload.getString("sid")), Set.copyOf(scopes),
                    profession == null ? null : Profession.parse(profession, "profession"),
                    Instant.ofEpochSecond(exp));
        } catch (RuntimeException e) {
            throw invalid("The access token's claims are malformed.");
        }
    }

    private boolean hasAudience(Object aud) {
        if (aud instanceof String single) {
            return audience.equals(single);
        }
        return aud instanceof JsonArray many && many.contains(audience);
    }

    private static long number(JsonObject payload, String claim) {
        if (payload.getValue(claim) instanceof Number n) {
            return n.longValue();
        }
        throw invalid("The access token has no valid " + claim + " claim.");
    }

    static ApiError invalid(String detail) {
        return ApiError.of(401, "token_invalid", detail);
    }
}
