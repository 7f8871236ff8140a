package fr.relais.record;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A page of documents; {@code next} is the cursor of the following page, null on the last one. */
public record DocumentPage(List<Document> items, String next) {
    public JsonObject toJson() {
        JsonArray array = new JsonArray();
        items.forEach(document -> array.add(document.toJson()));
        JsonObject page = new JsonObject().put("items", array);
        return next == null ? page : page.put("next", next);
    }
}
