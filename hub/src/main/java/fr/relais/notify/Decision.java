package fr.relais.notify;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the notify component decided for one person and one window of missed events: counts per category by push
 * (to each of {@code devices}; emailed too if no push of the window reaches a device, when {@code pushEmailFallback}),
 * by email, and of what the person wants live only; when each may leave; and why the email part waits, if it does.
 * Counts only, never an event's content.
 */
record Decision(UUID account, Instant decidedAt, long fromOffset, long upToOffset, int devices,
                Map<Category, Integer> pushed, Instant pushNotBefore, boolean pushEmailFallback, Map<Category, Integer> emailed,
                Instant emailNotBefore, Map<Category, Integer> liveOnly, String held) {

    /** No decision: another node is deciding for this person right now. */
    static Decision nothing(UUID account, Instant now) {
        return new Decision(account, now, 0, 0, 0, none(), null, false, none(), null, none(), null);
    }

    static Map<Category, Integer> none() {
        return new EnumMap<>(Category.class);
    }

    boolean anything() {
        return !pushed.isEmpty() || !emailed.isEmpty() || !liveOnly.isEmpty() || held != null;
    }

    static JsonObject json(Map<Category, Integer> counts) {
        JsonObject json = new JsonObject();
        counts.forEach((category, n) -> json.put(category.wireName(), n));
        return json;
    }
}
