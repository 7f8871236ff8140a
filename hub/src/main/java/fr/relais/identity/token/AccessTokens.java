package fr.relais.identity.token;

import fr.relais.error.ApiError;
import fr.relais.memory.RecentlyUsed;
import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and checks the hub's access tokens: JWTs signed ES256 with a {@code kid}, short-lived.
 * Vert.x Auth JWT signs and verifies: it accepts ES256 from our keys only (so "none", HS256 and RS256 are refused
 * whatever the key), and checks the issuer and audience. Expiry and not-before are checked here against the hub's
 * clock, with {@code auth.clockSkew}: the library would read the machine's clock instead.
 */
public final class AccessTokens {
    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Duration clockSkew;
    private final Clock clock;
    /** Tokens whose signature was checked, with their claims: a client sends the same token many times. */
    private final RecentlyUsed<String, TokenClaims> verified = new RecentlyUsed<>(VERIFIED_CACHE_SIZE);
    private static final int VERIFIED_CACHE_SIZE = 100_000;
    private static final int MAX_TOKEN_LENGTH = 16_384;

    public AccessTokens(SigningKeys keys, String issuer, String audience, Duration lifetime, Duration clockSkew, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /** What the hub's tokens carry and must carry, for {@link SigningKeys}. */
    public static JWTOptions rules(String issuer, String audience) {
        return new JWTOptions().setAlgorithm("ES256").setIssuer(issuer).setAudience(List.of(audience))
                .setIgnoreExpiration(true);
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
        if (principal.patient() != null) {
            payload.put("patient", principal.patient().toString()); // SMART on FHIR's name for the launch patient
        }
        return keys.jwt().generateToken(payload);
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
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Future.failedFuture(invalid("The access token is not a signed JWT."));
        }
        // the library's verdicts become 401; a failure to reload the keys (the database) stays what it is (503)
        return checked(token)
                .recover(failure -> isUnknownKeyOfOurs(failure)
                        ? keys.reloadForUnknownKey().compose(reloaded -> reloaded
                                ? checked(token).recover(again -> Future.failedFuture(refusal(again)))
                                : Future.failedFuture(refusal(failure)))
                        : Future.failedFuture(refusal(failure)))
                .map(user -> {
                    TokenClaims claims = claims(user.attributes().getJsonObject("accessToken"));
                    verified.put(token, claims);
                    return claims;
                });
    }

    private static ApiError refusal(Throwable verdict) {
        return verdict instanceof NoSuchKeyIdException
                ? invalid("The access token names a key or an algorithm the hub does not sign with.")
                : invalid("The access token is not one the hub signed for this service.");
    }

    /** The library's verdict on signature, algorithm, key, issuer and audience; a throw becomes a failure. */
    private Future<User> checked(String token) {
        return Future.<Void>succeededFuture().compose(v -> keys.jwt().authenticate(new TokenCredentials(token)));
    }

    /** An ES256 token naming a key not loaded here: maybe another node has just made it. */
    private static boolean isUnknownKeyOfOurs(Throwable failure) {
        return failure instanceof NoSuchKeyIdException unknown && unknown.id().startsWith("ES256#");
    }

    private TokenClaims claims(JsonObject payload) {
        Instant now = clock.instant();
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
            String patient = payload.getString("patient");
            return new TokenClaims(UUID.fromString(payload.getString("sub")),
                    Principal.Kind.fromWire(payload.getString("kind")),
                    UUID.fromString(payload.getString("sid")), Set.copyOf(scopes),
                    profession == null ? null : Profession.parse(profession, "profession"),
                    Instant.ofEpochSecond(exp), patient == null ? null : UUID.fromString(patient));
        } catch (RuntimeException e) {
            throw invalid("The access token's claims are malformed.");
        }
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
