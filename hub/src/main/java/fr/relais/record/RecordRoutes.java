package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The record over REST: each route reads the request into typed arguments and calls {@link Documents}. */
public final class RecordRoutes {
    private final Documents record;
    private final Uploads uploads;

    RecordRoutes(Documents record, Uploads uploads) {
        this.record = record;
        this.uploads = uploads;
    }

    public void mount(Router api) {
        api.post("/documents").handler(this::deposit);
        api.get("/deposits").handler(this::deposits);
        api.post("/uploads").handler(this::upload);
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
        RecordService.requireDepositor(who);
        record.deposit(who, DepositRequest.parse(body, rc.request().getHeader("Idempotency-Key"), record.limits()))
                .onSuccess(deposited -> Responses.json(rc, deposited.replayed() ? 200 : 201, deposited.toJson()))
                .onFailure(rc::fail);
    }

    /** A document's content ahead of its deposit: the raw bytes, with their Content-Type. */
    private void upload(RoutingContext rc) {
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        uploads.upload(Authentication.principal(rc), rc.request().getHeader("Content-Type"),
                        body == null ? new byte[0] : body.getBytes())
                .onSuccess(uploaded -> Responses.json(rc, 201, uploaded)).onFailure(rc::fail);
    }

    private void deposits(RoutingContext rc) {
        record.deposits(Authentication.principal(rc), rc.queryParams().get("before"), limit(rc))
                .onSuccess(page -> Responses.json(rc, 200, page.toJson())).onFailure(rc::fail);
    }

    private static Integer limit(RoutingContext rc) {
        if (rc.queryParams().get("limit") == null) {
            return null;
        }
        try {
            return Integer.parseInt(rc.queryParams().get("limit"));
        } catch (NumberFormatException e) {
            throw ApiError.invalidField("limit", "limit must be a whole number.");
        }
    }

    private void list(RoutingContext rc) {
        Integer limit = limit(rc);
        DocumentQuery query = new DocumentQuery(rc.queryParams().get("kind"), rc.queryParams().get("from"),
                rc.queryParams().get("to"), rc.queryParams().get("author"), rc.queryParams().get("before"), limit);
        record.list(Authentication.principal(rc), Fields.pathId(rc.pathParam("patientId")), query)
                .onSuccess(page -> Responses.json(rc, 200, page.toJson())).onFailure(rc::fail);
    }

    private void metadata(RoutingContext rc) {
        record.read(Authentication.principal(rc), Fields.pathId(rc.pathParam("id")))
                .onSuccess(file -> Responses.json(rc, 200, file.document().toJson()))
                .onFailure(rc::fail);
    }

    private void content(RoutingContext rc) {
        record.read(Authentication.principal(rc), Fields.pathId(rc.pathParam("id")))
                .onSuccess(file -> rc.response()
                        .putHeader("Content-Type", file.document().contentType())
                        .putHeader("Content-Disposition", "attachment")
                        .putHeader("Cache-Control", "no-store")
                        .end(Buffer.buffer(file.content())))
                .onFailure(rc::fail);
    }

    private void hide(RoutingContext rc) {
        Object hidden = Requests.json(rc).getValue("hidden");
        if (!(hidden instanceof Boolean value)) {
            throw ApiError.invalidField("hidden", "hidden must be true or false.");
        }
        record.hide(Authentication.principal(rc), Fields.pathId(rc.pathParam("id")), value)
                .onSuccess(document -> Responses.json(rc, 200, document.toJson())).onFailure(rc::fail);
    }

    private void delete(RoutingContext rc) {
        record.delete(Authentication.principal(rc), Fields.pathId(rc.pathParam("id")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void replace(RoutingContext rc) {
        JsonObject body = Requests.json(rc);
        record.replace(Authentication.principal(rc), Fields.pathId(rc.pathParam("id")), DepositRequest.parse(body, rc.request().getHeader("Idempotency-Key"), record.limits()))
                .onSuccess(document -> Responses.json(rc, 201, document.toJson())).onFailure(rc::fail);
    }
}
