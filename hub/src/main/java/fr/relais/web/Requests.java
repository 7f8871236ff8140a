package fr.relais.web;

import fr.relais.error.ApiError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading what a request carries, failing with a clear problem when it is not what the route expects. */
public final class Requests {
    private Requests() {
    }

    /** The body as a JSON object: 415 if it is not declared JSON, 400 {@code invalid_json} if it does not parse. */
    public static JsonObject json(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw ApiError.of(415, "unsupported_media_type", "Send the body as application/json.");
        }
        JsonObject object;
        try {
            object = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("invalid_json", "The body must be a JSON object.");
        }
        if (object == null) {
            throw ApiError.badRequest("invalid_json", "The body must be a JSON object.");
        }
        return object;
    }

    /** Where the gateway puts the caller's address (the client's, behind trusted proxies). */
    public static final String CLIENT_ADDRESS = "relais.clientAddress";

    /** The caller's address: the peer's, or the client's as trusted proxies forwarded it. */
    public static String ip(RoutingContext ctx) {
        String resolved = ctx.get(CLIENT_ADDRESS);
        return resolved != null ? resolved : peer(ctx);
    }

    /** The address of the other end of the connection (a proxy, when there is one). */
    public static String peer(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    }

    /** A whole-number query parameter, {@code fallback} when absent; 400 {@code invalid_field} when not a number. */
    public static long queryNumber(RoutingContext rc, String name, long fallback) {
        String raw = rc.queryParams().get(name);
        try {
            return raw == null ? fallback : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw fr.relais.error.ApiError.invalidField(name, name + " must be a whole number.");
        }
    }
}
