package fr.relais.identity;

import fr.relais.identity.policy.CareRelationships;
import fr.relais.identity.policy.CareTeam;
import fr.relais.identity.policy.PatientLookup;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Care relationships, decided by the patient: the patient's care team (declare, end), a professional's requests
 * to join it (ask, withdraw), and the patient's answers (accept, decline).
 */
public final class CareRoutes {
    private final Pool pool;
    private final CareTeam careTeam;
    private final CareRelationships relationships;

    public CareRoutes(Pool pool, CareTeam careTeam, CareRelationships relationships) {
        this.pool = pool;
        this.careTeam = careTeam;
        this.relationships = relationships;
    }

    public void mount(Router api) {
        api.get("/me/care-relationships").handler(this::listCare);
        api.post("/me/care-relationships").handler(this::declareCare);
        api.delete("/me/care-relationships/:professionalId").handler(this::endCare);
        api.get("/me/care-requests").handler(this::pendingRequests);
        api.post("/me/care-requests/:requestId/accept").handler(this::accept);
        api.post("/me/care-requests/:requestId/decline").handler(this::decline);
        api.post("/care-requests").handler(this::request);
        api.get("/care-requests").handler(this::myRequests);
        api.delete("/care-requests/:requestId").handler(this::withdraw);
    }

    private void listCare(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        careTeam.relationships(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void declareCare(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        String rpps = Rpps.parse(Requests.json(rc).getValue("rpps") instanceof String text ? text : null, "rpps").value();
        relationships.declare(who.id(), rpps).onSuccess(pro -> Responses.json(rc, 201, pro)).onFailure(rc::fail);
    }

    private void endCare(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        relationships.end(who.id(), Fields.pathId(rc.pathParam("professionalId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void pendingRequests(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        relationships.pendingFor(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void accept(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        relationships.accept(who.id(), Fields.pathId(rc.pathParam("requestId")))
                .onSuccess(pro -> Responses.json(rc, 200, pro)).onFailure(rc::fail);
    }

    private void decline(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        relationships.decline(who.id(), Fields.pathId(rc.pathParam("requestId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    /** {@code {patientId}} or {@code {ins}}: 201 with the new request, 200 with the one already pending. */
    private void request(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        relationships.request(pro, PatientLookup.named(pool, Requests.json(rc)))
                .onSuccess(requested -> Responses.json(rc, requested.created() ? 201 : 200, requested.request()))
                .onFailure(rc::fail);
    }

    private void myRequests(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        relationships.requestsOf(pro.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void withdraw(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        relationships.withdraw(pro.id(), Fields.pathId(rc.pathParam("requestId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }
}
