package fr.relais.record;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A page of a system's deposits, newest first; {@code next} is the cursor of the following page, null on the last. */
public record DepositsPage(List<DepositStatus> items, String next) {
    public JsonObject toJson() {
        JsonArray array = new JsonArray();
        items.forEach(deposit -> array.add(deposit.toJson()));
        JsonObject page = new JsonObject().put("items", array);
        return next == null ? page : page.put("next", next);
    }
}
