package fr.relais.outbox;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An item of the outbox being sent: its opened content, its address, and a stable id for the transport ({@code
 * messageId}: the same on every attempt, so that a receiver can drop a copy sent twice).
 */
public record Delivery(UUID id, UUID recipient, String address, String category, JsonObject content, String messageId) {
}
