package fr.relais.stream;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One event of a recipient's stream, as stored and as sent: {@code offset} is gap-free and commit-ordered within
 * the stream, {@code epoch} names the stream's current history.
 */
public record StreamEvent(UUID recipient, String epoch, long offset, String type, JsonObject data, Instant time) {

    /** The WebSocket/SSE frame: {"type":"message.created","epoch":…,"offset":…,"time":…,"data":{…}}. */
    public String toFrame() {
        return new JsonObject()
                .put("type", type)
                .put("epoch", epoch)
                .put("offset", offset)
                .put("time", time.toString())
                .put("data", data)
                .encode();
    }
}
