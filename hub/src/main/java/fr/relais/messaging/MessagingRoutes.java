package fr.relais.messaging;

import fr.relais.error.ApiError;
import fr.relais.identity.Authentication;
import fr.relais.identity.policy.Delegations;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Secure messaging over REST. Integrators use it over the socket (see MessagingCommands). */
public final class MessagingRoutes {
    private final MessagingService service;
    private final MessagingQueries queries;
    private final fr.relais.config.MessagingConfig limits;
    private final AttachmentFiling filing;
    private final Delegations delegations;
    private final PatientConversations withPatient;

    MessagingRoutes(MessagingService service, MessagingQueries queries, fr.relais.config.MessagingConfig limits,
                    AttachmentFiling filing, Delegations delegations, PatientConversations withPatient) {
        this.service = service;
        this.withPatient = withPatient;
        this.delegations = delegations;
        this.queries = queries;
        this.limits = limits;
        this.filing = filing;
    }

    public void mount(Router api) {
        api.get("/conversations").handler(this::list);
        api.post("/conversations").handler(this::start);
        api.get("/conversations/unread").handler(this::unread);
        api.get("/conversations/:id/messages").handler(this::messages);
        api.post("/conversations/:id/messages").handler(this::send);
        api.post("/conversations/:id/read").handler(this::read);
        api.post("/conversations/:id/close").handler(this::close);
        api.get("/conversations/:id/attachments/:attachmentId").handler(this::attachment);
        api.post("/conversations/:id/attachments/:attachmentId/file-to-record").handler(this::fileToRecord);
        api.get("/patients/:patientId/conversations").handler(this::withPatient);
    }

    /** A professional's conversations with one patient, if the access policy lets them read her record. */
    private void withPatient(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        withPatient.of(pro, Fields.pathId(rc.pathParam("patientId")))
                .onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void list(RoutingContext rc) {
        Principal who = person(rc);
        queries.list(who, rc.queryParams().get("before"), limit(rc))
                .onSuccess(page -> Responses.json(rc, 200, page)).onFailure(rc::fail);
    }

    private void start(RoutingContext rc) {
        JsonObject body = Requests.json(rc);
        delegations.acting(Authentication.principal(rc), body.getValue("onBehalfOf"), Delegations.MESSAGES_SCOPE)
                .compose(who -> service.startConversation(who, body, rc.request().getHeader("Idempotency-Key")))
                .onSuccess(sent -> Responses.json(rc, sent.replayed() ? 200 : 201, sent.message()))
                .onFailure(rc::fail);
    }

    private void unread(RoutingContext rc) {
        queries.unreadTotal(person(rc)).onSuccess(total -> Responses.json(rc, 200, new JsonObject().put("total", total)))
                .onFailure(rc::fail);
    }

    private void messages(RoutingContext rc) {
        Principal caller = personOrSystem(rc);
        long after = Requests.queryNumber(rc, "after", 0);
        UUID conversation = id(rc);
        int limit = limit(rc);
        delegations.acting(caller, rc.queryParams().get("onBehalfOf"), Delegations.MESSAGES_SCOPE)
                .compose(who -> queries.messages(who, conversation, after, limit))
                .onSuccess(page -> Responses.json(rc, 200, page)).onFailure(rc::fail);
    }

    private void send(RoutingContext rc) {
        Principal caller = personOrSystem(rc);
        JsonObject body = Requests.json(rc);
        MessageInput input = MessageInput.parse(body, rc.request().getHeader("Idempotency-Key"), limits);
        UUID conversation = id(rc);
        delegations.acting(caller, body.getValue("onBehalfOf"), Delegations.MESSAGES_SCOPE).compose(who -> service.send(who, conversation, input))
                .onSuccess(sent -> Responses.json(rc, sent.replayed() ? 200 : 201, sent.message()))
                .onFailure(rc::fail);
    }

    private void read(RoutingContext rc) {
        Principal who = person(rc);
        Object upTo = Requests.json(rc).getValue("upTo");
        if (!(upTo instanceof Number n)) {
            throw ApiError.invalidField("upTo", "upTo is the number (seq) of the last message read.");
        }
        service.markRead(who, id(rc), n.longValue()).onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail);
    }

    private void close(RoutingContext rc) {
        service.close(person(rc), id(rc)).onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail);
    }

    private void attachment(RoutingContext rc) {
        UUID attachmentId = Fields.pathId(rc.pathParam("attachmentId"));
        queries.attachment(person(rc), id(rc), attachmentId).onSuccess(file -> rc.response()
                        .putHeader("Content-Type", file.contentType())
                        .putHeader("Content-Disposition", "attachment; filename*=UTF-8''"
                                + java.net.URLEncoder.encode(file.filename(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                        .putHeader("Cache-Control", "no-store")
                        .end(file.content()))
                .onFailure(rc::fail);
    }

    /** A professional adds a file received or sent in a conversation with a patient to that patient's record. */
    private void fileToRecord(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        filing.file(who, id(rc), Fields.pathId(rc.pathParam("attachmentId")), Requests.json(rc))
                .onSuccess(document -> Responses.json(rc, 201, document)).onFailure(rc::fail);
    }

    /** People, and systems acting for a professional (checked by {@link Delegations#acting}). */
    private static Principal personOrSystem(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL, Principal.Kind.INTEGRATOR);
    }

    private static Principal person(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL);
    }

    private static UUID id(RoutingContext rc) {
        return Fields.pathId(rc.pathParam("id"));
    }

    private static int limit(RoutingContext rc) {
        return (int) Math.min(200, Math.max(1, Requests.queryNumber(rc, "limit", 50)));
    }
}
