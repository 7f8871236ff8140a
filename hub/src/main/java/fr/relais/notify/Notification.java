package fr.relais.notify;

import fr.relais.identity.consent.AppEvents;
import fr.relais.stream.StreamEvent;
import fr.relais.stream.StreamReads;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * One item of the notification centre as the API gives it: the event (its offset is the item's id), whether it was
 * read, who did it, and what it points to. A catalogue app gets no name, and the event's data as its socket does.
 */
final class Notification {
    private Notification() {
    }

    static JsonObject of(StreamReads.Entry entry, AppEvents appView, Map<UUID, String> names) {
        StreamEvent event = entry.event();
        JsonObject frame = new JsonObject(appView == null ? event.toFrame() : appView.view(event.type(), event.toFrame()));
        JsonObject data = frame.getJsonObject("data");
        return new JsonObject().put("id", event.offset()).put("type", event.type()).put("time", frame.getString("time"))
                .put("read", entry.read()).put("actor", appView == null ? actor(event, names) : null)
                .put("target", target(event.type(), data)).put("data", data);
    }

    /** Whose act the event tells of, when that is an account. */
    static UUID actorId(StreamEvent event) {
        JsonObject data = event.data();
        String id = switch (event.type()) {
            case "care.requested" -> data.getJsonObject("professional", new JsonObject()).getString("id");
            case "care.accepted", "care.declined", "care.started", "care.ended" -> data.getString("patientId");
            default -> firstOf(data, "actorId", "senderId", "closedBy");
        };
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {id, name}: the account's name now, or the name the event carries (an organisation that deposited has no account). */
    private static JsonObject actor(StreamEvent event, Map<UUID, String> names) {
        UUID id = actorId(event);
        JsonObject data = event.data();
        String name = id != null && names.containsKey(id) ? names.get(id)
                : firstOf(data, "actorName", "authorName", "patientName");
        if (name == null && data.getValue("professional") instanceof JsonObject professional) {
            name = professional.getString("displayName");
        }
        return id == null && name == null ? null
                : new JsonObject().put("id", id == null ? null : id.toString()).put("name", name);
    }

    /** What the item opens: {kind, id}; access notices open the access history, which has no id. */
    private static JsonObject target(String type, JsonObject data) {
        return switch (type) {
            case "message.created", "conversation.closed" -> pointer("conversation", data.getString("conversationId"));
            case "document.arrived" -> pointer("document", data.getString("documentId"));
            case "appointment.created", "appointment.moved", "appointment.cancelled" ->
                    pointer("appointment", data.getString("appointmentId"));
            case "reminder.due" -> data.getString("appointmentId") != null ? pointer("appointment", data.getString("appointmentId"))
                    : pointer("reminder", data.getString("reminderId"));
            case "record.accessed", "record.emergency_access" -> new JsonObject().put("kind", "access_history");
            case "care.requested" -> pointer("care_request", data.getString("requestId"));
            default -> data.getString("patientId") == null ? new JsonObject().put("kind", "care")
                    : pointer("patient", data.getString("patientId"));
        };
    }

    private static JsonObject pointer(String kind, String id) {
        return new JsonObject().put("kind", kind).put("id", id);
    }

    private static String firstOf(JsonObject data, String... keys) {
        for (String key : keys) {
            if (data.getValue(key) instanceof String value) {
                return value;
            }
        }
        return null;
    }
}
