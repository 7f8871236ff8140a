package fr.relais.gateway.ws;

import io.vertx.core.json.JsonObject;

/** Reading an encoded event frame's type without decoding it all: the stream writes "type" first. */
final class EventFrames {
    private static final String PREFIX = "{\"type\":\"";

    private EventFrames() {
    }

    static String type(String frame) {
        if (frame.startsWith(PREFIX)) {
            int end = frame.indexOf('"', PREFIX.length());
            if (end > 0) {
                return frame.substring(PREFIX.length(), end);
            }
        }
        return new JsonObject(frame).getString("type");
    }
}
