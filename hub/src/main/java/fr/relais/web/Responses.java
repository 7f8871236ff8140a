package fr.relais.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers; nothing the API returns may be cached by a browser or a proxy. */
public final class Responses {
    private Responses() {
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        send(ctx, status, body.encode());
    }

    public static void json(RoutingContext ctx, int status, JsonArray body) {
        send(ctx, status, body.encode());
    }

    public static void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).putHeader("Cache-Control", "no-store").end();
    }

    private static void send(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body);
    }
}
