package fr.relais.gateway.ws;

import io.vertx.core.json.JsonObject;

/** The control frames the server sends (event frames are encoded once by the stream, see StreamEvent#toFrame). */
final class Frames {
    private Frames() {
    }

    static String error(String id, String code, String message) {
        JsonObject frame = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (id != null) {
            frame.put("id", id);
        }
        return frame.encode();
    }

    static String authenticated(String principalId, String kind, long expiresAt) {
        return new JsonObject().put("type", "authenticated").put("id", principalId).put("kind", kind)
                .put("expiresAt", java.time.Instant.ofEpochSecond(expiresAt).toString()).encode();
    }

    static String subscribed(String epoch, long offset, boolean recovered) {
        return new JsonObject().put("type", "subscribed").put("epoch", epoch).put("offset", offset)
                .put("recovered", recovered).encode();
    }

    static String result(String id, JsonObject result) {
        return new JsonObject().put("type", "result").put("id", id).put("result", result).encode();
    }

    static String pong() {
        return "{\"type\":\"pong\"}";
    }
}
