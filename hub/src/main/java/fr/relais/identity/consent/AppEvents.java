package fr.relais.identity.consent;

import fr.relais.identity.policy.AppScope;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What a catalogue app sees of its patient's stream: the events of the categories the patient granted, with ids,
 * kinds and counts only (no names: who wrote or deposited something can tell about a person's health). The
 * offsets are the patient's, so an app's cursor works as anyone's, with gaps where events were not for it.
 */
public final class AppEvents {
    /** The members an app is sent, whatever the event: no name, and no id of a person (a sender, an author). */
    private static final Set<String> KEPT = Set.of("documentId", "conversationId", "messageId", "entryId", "appointmentId",
            "kind", "section", "change", "version", "seq", "unread", "replaces", "startsAt", "startsAtInstant", "before",
            "authorKind", "changedByKind", "withPatient", "reminderId", "dueAt");

    private final Set<AppScope> scopes;

    public AppEvents(Set<String> granted) {
        this.scopes = AppScope.of(granted);
    }

    /** The frame an app is sent for this event of its patient's stream, or null when it is not for the app. */
    public String view(String type, String frame) {
        boolean profile = type.equals("profile.updated");
        if (scopes.stream().noneMatch(scope -> scope.events().contains(type))) {
            return null;
        }
        JsonObject event = new JsonObject(frame);
        JsonObject data = event.getJsonObject("data", new JsonObject());
        if (profile) {
            String section = data.getString("section");
            if (scopes.stream().noneMatch(scope -> section != null && section.equals(scope.section()))) {
                return null;
            }
        }
        if (type.equals("reminder.due") && !"appointment".equals(data.getString("kind"))) {
            return null; // a treatment's, a vaccination's or a screening's reminder tells of the patient's health
        }
        JsonObject kept = new JsonObject();
        data.forEach(field -> {
            if (KEPT.contains(field.getKey())) {
                kept.put(field.getKey(), field.getValue());
            }
        });
        return event.put("data", kept).encode();
    }
}
