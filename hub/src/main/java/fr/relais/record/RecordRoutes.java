package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.principal.Principal;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;

/** The record over REST; every call goes to the record verticle through {@link RecordClient}. */
public final class RecordRoutes {
    private final RecordClient record;

    public RecordRoutes(RecordClient record) {
        this.record = record;
    }

    public void mount(Router api) {
        api.post("/documents").handler(this::deposit);
        api.get("/patients/:patientId/documents").handler(this::list);
        api.get("/documents/:id").handler(this::metadata);
        api.get("/documents/:id/content").handler(this::content);
        api.put("/documents/:id/hidden").handler(this::hide);
        api.delete("/documents/:id").handler(this::delete);
        api.post("/documents/:id/versions").handler(this::replace);
    }

    private void deposit(RoutingContext rc) {
        Principal who = Authentication.principal(rc);
        JsonObject body = Requests.json(rc);
        String key = rc.request().getHeader("Idempotency-Key");
        if (key != null) {
            body.put("idempotencyKey", key);
        }
        record.deposit(who, body)
                .onSuccess(document -> Responses.json(rc, document.getBoolean("replayed", false) ? 200 : 201, document))
                .onFailure(rc::fail);
    }

    private void list(RoutingContext rc) {
        JsonObject filters = new JsonObject().put("patientId", rc.pathParam("patientId"));
        for (String name : new String[] {"kind", "from", "to", "author", "before"}) {
            if (rc.queryParams().get(name) != null) {
                filters.put(name, rc.queryParams().get(name));
            }
        }
        if (rc.queryParams().get("limit") != null) {
            try {
                filters.put("limit", Integer.parseInt(rc.queryParams().get("limit")));
            } catch (NumberFormatException e) {
                throw ApiError.invalidField("limit", "limit must be a whole number.");
            }
        }
        record.list(Authentication.principal(rc), filters).onSuccess(page -> Responses.json(rc, 200, page)).onFailure(rc::fail);
    }

    private void metadata(RoutingContext rc) {
        record.read(Authentication.principal(rc), rc.pathParam("id"))
                .onSuccess(document -> {
                    document.remove("data");
                    Responses.json(rc, 200, document);
                })
                .onFailure(rc::fail);
    }

    private void content(RoutingContext rc) {
        record.read(Authentication.principal(rc), rc.pathParam("id"))
                .onSuccess(document -> rc.response()
                        .putHeader("Content-Type", document.getString("contentType"))
                        .putHeader("Content-Disposition", "attachment")
                        .putHeader("Cache-Control", "no-store")
                        .end(Buffer.buffer(Base64.getDecoder().decode(document.getString("data")))))
                .onFailure(rc::fail);
    }

    private void hide(RoutingContext rc) {
        Object hidden = Requests.json(rc).getValue("hidden");
        if (!(hidden instanceof Boolean value)) {
            throw ApiError.invalidField("hidden", "hidden must be true or false.");
        }
        record.hide(Authentication.principal(rc), rc.pathParam("id"), value)
                .onSuccess(document -> Responses.json(rc, 200, document)).onFailure(rc::fail);
    }

    private void delete(RoutingContext rc) {
        record.delete(Authentication.principal(rc), rc.pathParam("id")).onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void replace(RoutingContext rc) {
        record.replace(Authentication.principal(rc), rc.pathParam("id"), Requests.json(rc))
                .onSuccess(document -> Responses.json(rc, 201, document)).onFailure(rc::fail);
    }
}
