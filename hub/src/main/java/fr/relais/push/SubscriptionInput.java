package fr.relais.push;

import fr.relais.error.ApiError;
import fr.relais.net.OutboundEndpoints;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Base64;

/**
 * A browser's {@code PushSubscription.toJSON()} ({@code endpoint}, {@code expirationTime}, {@code keys.p256dh},
 * {@code keys.auth}) with an optional {@code label}, checked at the edge: each fault names its field.
 */
record SubscriptionInput(URI endpoint, byte[] p256dh, byte[] auth, String label) {
    static final int LABEL_MAX = 60;

    static SubscriptionInput parse(JsonObject body, OutboundEndpoints endpoints, String userAgent) {
        URI endpoint = endpoints.parse(body.getValue("endpoint"));
        if (!(body.getValue("keys") instanceof JsonObject keys)) {
            throw ApiError.invalidField("keys", "keys holds the subscription's p256dh and auth, as PushSubscription.toJSON() gives them.");
        }
        byte[] p256dh = base64url(keys.getValue("p256dh"));
        if (!P256.isPoint(p256dh)) {
            throw ApiError.invalidField("keys.p256dh", "keys.p256dh is the base64url of an uncompressed P-256 point (65 bytes, on the curve).");
        }
        byte[] auth = base64url(keys.getValue("auth"));
        if (auth == null || auth.length != 16) {
            throw ApiError.invalidField("keys.auth", "keys.auth is the base64url of the 16-byte authentication secret.");
        }
        Object expiration = body.getValue("expirationTime");
        if (expiration != null && !(expiration instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() < 1e15)) {
            throw ApiError.invalidField("expirationTime", "expirationTime is null or a time in milliseconds since 1970.");
        }
        String label = Fields.optionalText(body, "label", LABEL_MAX);
        if (label != null && label.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw ApiError.invalidField("label", "A label is plain text on one line, without control or direction characters.");
        }
        return new SubscriptionInput(endpoint, p256dh, auth, label != null ? label : DeviceLabels.fromUserAgent(userAgent));
    }

    /** The bytes of a base64url text (with or without padding), or null when it is not one. */
    private static byte[] base64url(Object value) {
        if (!(value instanceof String text) || text.length() > 200) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
