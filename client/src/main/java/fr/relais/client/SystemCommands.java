package fr.relais.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The commands a system (an integrator) runs over its socket, typed: depositing a document (with
 * {@code documents:write}) and, for a professional who delegated to it (with {@code messages:write}), starting a
 * conversation, sending a message and reading a conversation it wrote in; a catalogue app's connected device adds
 * measurements for its consenting patient. Each write takes an idempotency key, the
 * same as the REST {@code Idempotency-Key}: send it again with the same key after a cut, and the first result comes
 * back. A refusal fails the future with a {@link CommandException} carrying the API's code.
 */
public final class SystemCommands {
    private final RelaisClient client;

    public SystemCommands(RelaisClient client) {
        this.client = client;
    }

    /**
     * A catalogue app's connected device adds a measurement for the patient whose consent its token carries (scope
     * {@code patient/Observation.write}); {@code measurement} as the REST body ({type, unit, value, at}); the result
     * is the profile entry.
     */
    public Future<JsonObject> addMeasurement(JsonObject measurement, String idempotencyKey) {
        return client.command("profile.add", new JsonObject().put("section", "measurements").put("entry", measurement), idempotencyKey);
    }

    /** {@code document}: as the {@code POST /api/v1/documents} body; the result is the document. */
    public Future<JsonObject> deposit(JsonObject document, String idempotencyKey) {
        return client.command("document.deposit", document, idempotencyKey);
    }

    public Future<JsonObject> startConversation(String onBehalfOf, String subject, List<String> participants, String body,
                                                String idempotencyKey) {
        return client.command("conversation.start", new JsonObject().put("onBehalfOf", onBehalfOf).put("subject", subject)
                .put("participants", new JsonArray(participants)).put("message", new JsonObject().put("body", body)), idempotencyKey);
    }

    public Future<JsonObject> sendMessage(String onBehalfOf, String conversationId, String body, String idempotencyKey) {
        return client.command("message.send", new JsonObject().put("onBehalfOf", onBehalfOf).put("conversationId", conversationId)
                .put("body", body), idempotencyKey);
    }

    /** The messages after {@code after} (a seq) of a conversation the system wrote in for that professional. */
    public Future<JsonObject> messages(String onBehalfOf, String conversationId, long after) {
        return client.command("conversation.messages", new JsonObject().put("onBehalfOf", onBehalfOf)
                .put("conversationId", conversationId).put("after", after), null);
    }
}
