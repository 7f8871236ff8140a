package fr.relais.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** A profile as one caller may read it: the sections they may read (in their order), each with its live entries. */
public record ProfileView(Map<ProfileSection, List<ProfileEntry>> sections) {
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        for (ProfileSection section : ProfileSection.values()) {
            List<ProfileEntry> entries = sections.get(section);
            if (entries != null) {
                JsonArray array = new JsonArray();
                entries.forEach(entry -> array.add(entry.toJson()));
                json.put(section.wireName(), array);
            }
        }
        return json;
    }
}
