package fr.relais.messaging;

import fr.relais.config.MessagingConfig;
import fr.relais.error.ApiError;
import fr.relais.web.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A message as a client sends it: text, files, and an optional idempotency key; {@code request} is the JSON as
 * sent, which a retry under the same key must repeat.
 */
record MessageInput(String body, List<AttachmentInput> attachments, String idempotencyKey, JsonObject request) {

    static MessageInput parse(JsonObject json, String headerKey, MessagingConfig limits) {
        String body = json.getValue("body") instanceof String b ? b : null;
        if (body == null || body.isBlank() || body.length() > limits.maxBodyLength()) {
            throw ApiError.invalidField("body", "A message has 1 to " + limits.maxBodyLength() + " characters.");
        }
        List<AttachmentInput> attachments = new ArrayList<>();
        Object raw = json.getValue("attachments");
        if (raw != null) {
            if (!(raw instanceof JsonArray array)) {
                throw ApiError.invalidField("attachments", "attachments must be a list.");
            }
            if (array.size() > limits.maxAttachments()) {
                throw ApiError.invalidField("attachments", "At most " + limits.maxAttachments() + " files per message.");
            }
            for (int i = 0; i < array.size(); i++) {
                if (!(array.getValue(i) instanceof JsonObject file)) {
                    throw ApiError.invalidField("attachments[" + i + "]", "Each attachment is an object.");
                }
                attachments.add(AttachmentInput.parse(file, i, limits.maxAttachmentSize()));
            }
        }
        String key = Fields.idempotencyKey(headerKey, json);
        return new MessageInput(body, List.copyOf(attachments), key, json);
    }
}
