package fr.relais.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a hostile or careless client sends: values of the wrong type, NUL characters, absurd numbers and dates,
 * bodies that are not JSON objects, and the ways of putting them in a field, a query parameter or a path segment.
 */
final class HostileInput {
    static final String NUL = "a\u0000b";

    /** Values put in place of each field of a body (never {@code true}: a body must not confirm what it should not). */
    static final List<Object> VALUES = List.of(
            NUL, "\u0000", "", "   ", "x".repeat(70_000),
            0, -1, 2_147_483_648L, Long.MAX_VALUE, Long.MIN_VALUE, -1e300, 1.5, false,
            new JsonArray(), new JsonArray().add(NUL), new JsonObject(), new JsonObject().put(NUL, NUL),
            UUID.randomUUID().toString(), "not-an-id",
            "300000-01-01T10:00", "-5000-01-01T10:00", "+300000-01-01", "-999999999-01-01", "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999+18:00", "0000-01-01", "2027-02-30", "22:00-99:99");

    /** Raw (already encoded) values for a query parameter. */
    static final List<String> QUERY_VALUES = List.of(
            "a%00b", "%00", "%ZZ", "", "-1", "0", "99999999999999999999", "-9223372036854775808", "abc",
            "-999999999-01-01", "300000-01-01", "-999999999-01-01T00:00", "%2B300000-01-01T00:00:00Z", "-5000-01-01T00:00",
            "2027-02-30", "_", "2027-01-01_", "-999999999-01-01T00:00:00Z_" + UUID.randomUUID(), "x".repeat(2000));

    /** Raw values for one path segment. */
    static final List<String> PATH_VALUES = List.of(
            "a%00b", "%00", "%ZZ", "-1", "0", UUID.randomUUID().toString(), "not-an-id", "%2E%2E", "x".repeat(2000));

    /** Whole bodies of the JSON type that are not JSON objects. */
    static final List<String> BODIES = List.of(
            "", "{", "[]", "null", "\"text\"", "42", "{\"a\":\"\u0000\"}", "{\"a\":\"\\u0000\"}", "[".repeat(5000) + "]".repeat(5000));

    private HostileInput() {
    }

    /** A change to a body, and what it is in words. */
    record Variant(String description, UnaryOperator<JsonObject> change) {
    }

    /** One variant per (place in {@code base}, hostile value), and one per field of {@code base} left out. */
    static List<Variant> bodies(JsonObject base) {
        List<Variant> variants = new ArrayList<>();
        mutations(base, "", List.of(), variants::add);
        return variants;
    }

    // each place is changed in a copy of the whole body: the rest stays valid, so the value reaches its own check
    private static void mutations(Object node, String path, List<Object> steps, Consumer<Variant> out) {
        if (node instanceof JsonObject object) {
            for (String field : object.fieldNames()) {
                String place = path.isEmpty() ? field : path + "." + field;
                List<Object> at = append(steps, field);
                out.accept(new Variant("without " + place, body -> change(body, at, REMOVE)));
                for (Object value : VALUES) {
                    out.accept(new Variant(place + "=" + describe(value), body -> change(body, at, value)));
                }
                mutations(object.getValue(field), place, at, out);
            }
        } else if (node instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                String place = path + "[" + i + "]";
                List<Object> at = append(steps, i);
                for (Object value : VALUES) {
                    out.accept(new Variant(place + "=" + describe(value), body -> change(body, at, value)));
                }
                mutations(array.getValue(i), place, at, out);
            }
        }
    }

    private static final Object REMOVE = new Object();

    private static JsonObject change(JsonObject base, List<Object> steps, Object value) {
        JsonObject copy = base.copy();
        Object parent = copy;
        for (Object step : steps.subList(0, steps.size() - 1)) {
            parent = step instanceof Integer i ? ((JsonArray) parent).getValue(i) : ((JsonObject) parent).getValue((String) step);
        }
        Object last = steps.get(steps.size() - 1);
        if (parent instanceof JsonObject object) {
            if (value == REMOVE) {
                object.remove((String) last);
            } else {
                object.put((String) last, value);
            }
        } else {
            ((JsonArray) parent).set((Integer) last, value);
        }
        return copy;
    }

    private static List<Object> append(List<Object> steps, Object step) {
        List<Object> longer = new ArrayList<>(steps);
        longer.add(step);
        return longer;
    }

    static String describe(Object value) {
        String text = value == null ? "null" : value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        text = text.replace("\u0000", "\\u0000");
        return text.length() > 40 ? text.substring(0, 20) + "…(" + text.length() + " chars)" : text;
    }
}
