package fr.relais.record;

import fr.relais.principal.Principal;
import fr.relais.service.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The record's public interface for other code (routes, other features): calls over the event bus. */
public final class RecordClient {
    static final String ADDRESS = "relais.record";

    private final ServiceClient client;

    public RecordClient(Vertx vertx) {
        this.client = new ServiceClient(vertx, ADDRESS, Duration.ofSeconds(30));
    }

    /** {kind, title, careDate, contentType, data (base64), ins | patientId, idempotencyKey?} → the document. */
    public Future<JsonObject> deposit(Principal who, JsonObject document) {
        return client.call("deposit", who, document);
    }

    /** {patientId, kind?, from?, to?, author?, before?, limit?} → a page of documents. */
    public Future<JsonObject> list(Principal who, JsonObject filters) {
        return client.call("list", who, filters);
    }

    public Future<JsonObject> read(Principal who, String documentId) {
        return client.call("read", who, new JsonObject().put("documentId", documentId));
    }

    public Future<JsonObject> hide(Principal who, String documentId, boolean hidden) {
        return client.call("hide", who, new JsonObject().put("documentId", documentId).put("hidden", hidden));
    }

    public Future<JsonObject> delete(Principal who, String documentId) {
        return client.call("delete", who, new JsonObject().put("documentId", documentId));
    }

    public Future<JsonObject> replace(Principal who, String documentId, JsonObject document) {
        return client.call("replace", who, document.copy().put("documentId", documentId));
    }
}
