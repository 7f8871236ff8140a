package fr.relais.gateway;

import fr.relais.error.ApiError;
import fr.relais.web.InvalidCharacters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses at the edge what no route accepts, before any route reads it: a request target with a malformed percent
 * escape ({@code 400 bad_request}), and the NUL character in the path, a query parameter, a form field or a JSON
 * string, or half of a surrogate pair in a JSON string ({@code 400 invalid_character}, naming where). Header values with a NUL never get here: the HTTP decoder
 * refuses them (see {@link ProblemResponder#invalidRequest}).
 */
final class InputScreen {
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    /** How a JSON text writes NUL and surrogates: only then is the body parsed here to find the field. */
    private static final byte[] JSON_NUL = "\\u0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] JSON_SURROGATE = "\\ud".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] JSON_SURROGATE_CAPITAL = "\\uD".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private InputScreen() {
    }

    /** Before any route: the request target. */
    static void target(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (BROKEN_ESCAPE.matcher(uri).find()) {
            throw ApiError.badRequest("bad_request", "The request target has a malformed percent escape.");
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.contains("%00") || InvalidCharacters.in(path)) {
            throw InvalidCharacters.refused("path");
        }
        if (query >= 0) {
            refuseNul(ctx.queryParams(), "query");
        }
        ctx.next();
    }

    /** After the body is read: form fields and JSON strings. */
    static void body(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        String type = ctx.request().getHeader("Content-Type");
        if (body != null && type != null) {
            String mediaType = type.toLowerCase(Locale.ROOT);
            if (mediaType.startsWith("application/x-www-form-urlencoded")) {
                refuseNul(ctx.request().formAttributes(), "form");
            } else if (mediaType.startsWith("application/json")
                    && (contains(body, JSON_NUL) || contains(body, JSON_SURROGATE) || contains(body, JSON_SURROGATE_CAPITAL))) {
                String field = nulField(body);
                if (field != null) {
                    throw InvalidCharacters.refused(field);
                }
            }
        }
        ctx.next();
    }

    /** {@code where} names a parameter whose name, not its value, holds the NUL. */
    private static void refuseNul(Iterable<Map.Entry<String, String>> parameters, String where) {
        for (Map.Entry<String, String> parameter : parameters) {
            if (InvalidCharacters.in(parameter.getKey())) {
                throw InvalidCharacters.refused(where);
            }
            if (InvalidCharacters.in(parameter.getValue())) {
                throw InvalidCharacters.refused(parameter.getKey());
            }
        }
    }

    /** The field of a JSON body that holds a NUL; null if none, or if the body is not JSON (its route says so). */
    private static String nulField(Buffer body) {
        try {
            return InvalidCharacters.findIn(Json.decodeValue(body), "");
        } catch (DecodeException e) {
            return null;
        }
    }

    private static boolean contains(Buffer body, byte[] needle) {
        byte[] bytes = body.getBytes();
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
