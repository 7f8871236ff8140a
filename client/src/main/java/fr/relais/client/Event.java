package fr.relais.client;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One event of the stream, e.g. {@code message.created}, with its position and its data. */
public record Event(String type, String epoch, long offset, Instant time, JsonObject data) {

    public Cursor cursor() {
        return new Cursor(epoch, offset);
    }

    static Event of(JsonObject frame) {
        return new Event(frame.getString("type"), frame.getString("epoch"), frame.getLong("offset"),
                Instant.parse(frame.getString("time")), frame.getJsonObject("data"));
    }
}
