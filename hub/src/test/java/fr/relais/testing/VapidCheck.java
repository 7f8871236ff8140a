package fr.relais.testing;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a push service checks of an {@code Authorization: vapid t=<JWT>, k=<key>} header (RFC 8292): the key is the
 * one the subscription was made with, the JWT is ES256 and its signature verifies with that key, {@code aud} is the
 * push resource's origin, {@code exp} is after now and at most 24 hours away, {@code sub} names a contact. Written
 * with the JDK alone. Answers the problems found (none: valid).
 */
public final class VapidCheck {
    private static final Pattern HEADER = Pattern.compile("vapid t=([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)");

    private VapidCheck() {
    }

    public static List<String> problems(String authorization, byte[] applicationServerKey, String origin, Instant now) {
        List<String> problems = new ArrayList<>();
        Matcher header = authorization == null ? null : HEADER.matcher(authorization);
        if (header == null || !header.matches()) {
            problems.add("Authorization is not 'vapid t=<jwt>, k=<key>': " + authorization);
            return problems;
        }
        byte[] key = Base64.getUrlDecoder().decode(header.group(2));
        if (!java.util.Arrays.equals(key, applicationServerKey)) {
            problems.add("k is not the applicationServerKey the subscription was made with");
        }
        String[] jwt = header.group(1).split("\\.");
        JsonObject head = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8));
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
        if (!"ES256".equals(head.getString("alg"))) {
            problems.add("alg is " + head.getString("alg"));
        }
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initVerify(WebPushDecryptor.publicKey(key));
            signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                problems.add("the ES256 signature does not verify with k");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            problems.add("the signature cannot be checked: " + e);
        }
        if (!origin.equals(claims.getString("aud"))) {
            problems.add("aud is " + claims.getString("aud") + ", not " + origin);
        }
        Long exp = claims.getLong("exp");
        if (exp == null || exp <= now.getEpochSecond() || exp > now.plus(Duration.ofHours(24)).getEpochSecond()) {
            problems.add("exp " + exp + " is not within the next 24 hours of " + now);
        }
        String sub = claims.getString("sub");
        if (sub == null || !(sub.startsWith("mailto:") || sub.startsWith("https:"))) {
            problems.add("sub is not a mailto: or https: contact: " + sub);
        }
        return problems;
    }
}
