package fr.relais.identity.oidc;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which keys of a provider's JWKS Relais verifies with: signing keys that name themselves, RSA for RS256 or EC P-256
 * for ES256, nothing else. So a token signed "none", with an HMAC (a public key taken as the secret) or with any other
 * algorithm finds no key and is refused.
 */
final class ProviderKeys {
    private static final Logger log = LoggerFactory.getLogger(ProviderKeys.class);
    private static final List<String> ACCEPTED_ALGORITHMS = List.of("RS256", "ES256");

    private ProviderKeys() {
    }

    /**
     * A verifier holding the accepted keys of {@code jwks}, or null when there is none: Vert.x Auth JWT given no key
     * at all would take unsigned tokens as valid.
     */
    static JWTAuth verifier(Vertx vertx, JsonObject jwks, JWTOptions rules, String provider) {
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(rules);
        Object keys = jwks.getValue("keys");
        int accepted = 0;
        for (Object entry : keys instanceof JsonArray array ? array : new JsonArray()) {
            if (entry instanceof JsonObject jwk && accepted(jwk) && readable(jwk)) {
                options.addJwk(jwk);
                accepted++;
            } else {
                log.debug("skipping a key of {} that is not an RS256 or ES256 signing key with a kid", provider);
            }
        }
        return accepted == 0 ? null : JWTAuth.create(vertx, options);
    }

    /** Whether a key missing for a token ({@code ALG#kid}) is of an algorithm worth fetching the keys again for. */
    static boolean acceptsAlgorithmOf(String missingKeyId) {
        return ACCEPTED_ALGORITHMS.stream().anyMatch(alg -> missingKeyId.startsWith(alg + "#"));
    }

    private static boolean accepted(JsonObject jwk) {
        String kty = text(jwk, "kty");
        String alg = text(jwk, "alg");
        String use = text(jwk, "use");
        if (text(jwk, "kid") == null || (use != null && !"sig".equals(use))) {
            return false;
        }
        if ("RSA".equals(kty)) {
            return alg == null || "RS256".equals(alg);
        }
        return "EC".equals(kty) && "P-256".equals(text(jwk, "crv")) && (alg == null || "ES256".equals(alg));
    }

    /** Whether the library makes a public key of it (a JWK it cannot read would be skipped, leaving no key). */
    private static boolean readable(JsonObject jwk) {
        try {
            return new JWK(jwk).publicKey() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String text(JsonObject jwk, String member) {
        return jwk.getValue(member) instanceof String value ? value : null;
    }
}
