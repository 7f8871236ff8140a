package fr.relais.notify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the decision needs of Web Push: a person's devices, and the count-only payload a push to them carries. */
public interface PushChannel {

    /** The ids of the person's push subscriptions, one per device. */
    Future<List<UUID>> devices(UUID account);

    /** The payload for {@code counts} (by category wire name) in {@code language}: counts and a link, never content. */
    JsonObject payload(String language, Map<String, Integer> counts);
}
