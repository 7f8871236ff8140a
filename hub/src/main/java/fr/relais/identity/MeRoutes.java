package fr.relais.identity;

import fr.relais.error.ApiError;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.account.SpaceClosure;
import fr.relais.identity.consent.AppConsents;
import fr.relais.identity.policy.CareRelationships;
import fr.relais.identity.policy.CareTeam;
import fr.relais.identity.policy.SystemBlocks;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** What people do about their own account: see it, and for patients, decide who may see their data. */
public final class MeRoutes {
    private final Pool pool;
    private final SpaceClosure closure;
    private final CareTeam careTeam;
    private final CareRelationships relationships;
    private final SystemBlocks systemBlocks;
    private final AppConsents consents;

    public MeRoutes(Pool pool, SpaceClosure closure, CareTeam careTeam, CareRelationships relationships, AppConsents consents) {
        this.pool = pool;
        this.consents = consents;
        this.closure = closure;
        this.careTeam = careTeam;
        this.relationships = relationships;
        this.systemBlocks = new SystemBlocks(pool);
    }

    public void mount(Router api) {
        api.get("/me").handler(this::me);
        api.post("/me/close").handler(this::close);
        api.get("/me/blocked-professionals").handler(this::listBlocked);
        api.post("/me/blocked-professionals").handler(this::block);
        api.delete("/me/blocked-professionals/:professionalId").handler(this::unblock);
        api.get("/me/blocked-systems").handler(this::listBlockedSystems);
        api.post("/me/blocked-systems").handler(this::blockSystem);
        api.delete("/me/blocked-systems/:blockId").handler(this::unblockSystem);
        api.put("/me/emergency-access-objection").handler(this::objectToEmergencyAccess);
        api.get("/me/access-history").handler(this::accessHistory);
    }

    private void me(RoutingContext rc) {
        Principal who = Authentication.principal(rc);
        if (who.is(Principal.Kind.INTEGRATOR)) {
            pool.preparedQuery("SELECT client_id, name, organisation_id FROM integrator WHERE id = $1").execute(Tuple.of(who.id()))
                    .map(rows -> {
                        if (rows.size() == 0) {
                            throw Authentication.sessionEnded();
                        }
                        Row system = rows.iterator().next();
                        return new JsonObject().put("id", who.id().toString()).put("kind", "integrator")
                                .put("clientId", system.getString("client_id")).put("name", system.getString("name"))
                                .put("organisationId", system.getUUID("organisation_id").toString())
                                .put("scopes", new io.vertx.core.json.JsonArray(who.scopes().stream().sorted().toList()));
                    })
                    .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail);
            return;
        }
        Accounts.byId(pool, who.id())
                .map(account -> account.orElseThrow(Authentication::sessionEnded))
                .onSuccess(account -> Responses.json(rc, 200, account.toJson()))
                .onFailure(rc::fail);
    }

    /** Closes the patient's space: {"confirm": true} deletes everything; "oppose": true also forbids recreating it. */
    private void close(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        JsonObject body = Requests.json(rc);
        if (!Boolean.TRUE.equals(body.getValue("confirm"))) {
            throw ApiError.invalidField("confirm", "Closing deletes all your data: send \"confirm\": true.");
        }
        boolean oppose = Boolean.TRUE.equals(body.getValue("oppose"));
        Accounts.byId(pool, who.id())
                .compose(account -> closure.close(account.orElseThrow(Authentication::sessionEnded), oppose, Requests.ip(rc)))
                .onSuccess(v -> Responses.noContent(rc))
                .onFailure(rc::fail);
    }

    private void listBlocked(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        careTeam.blocked(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void block(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        String rpps = Rpps.parse(Requests.json(rc).getString("rpps"), "rpps").value();
        relationships.block(who.id(), rpps).onSuccess(pro -> Responses.json(rc, 201, pro)).onFailure(rc::fail);
    }

    private void listBlockedSystems(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        systemBlocks.list(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void blockSystem(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        // an app the patient blocks loses their consent too: its sockets are cut at once
        systemBlocks.block(who.id(), Requests.json(rc))
                .compose(block -> consents.withdrawBlocked(who.id(), Requests.ip(rc)).map(block))
                .onSuccess(block -> Responses.json(rc, 201, block)).onFailure(rc::fail);
    }

    private void unblockSystem(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        systemBlocks.unblock(who.id(), Fields.pathId(rc.pathParam("blockId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void unblock(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        careTeam.unblock(who.id(), Fields.pathId(rc.pathParam("professionalId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void objectToEmergencyAccess(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        Object objected = Requests.json(rc).getValue("objected");
        if (!(objected instanceof Boolean value)) {
            throw ApiError.invalidField("objected", "objected must be true or false.");
        }
        careTeam.setEmergencyObjection(who.id(), value)
                .onSuccess(v -> Responses.json(rc, 200, new JsonObject().put("objected", value)))
                .onFailure(rc::fail);
    }

    private void accessHistory(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PATIENT);
        int limit = (int) Math.min(200, Math.max(1, Requests.queryNumber(rc, "limit", 50)));
        long before = Requests.queryNumber(rc, "before", Long.MAX_VALUE);
        careTeam.accessHistory(who.id(), before, limit)
                .onSuccess(page -> Responses.json(rc, 200, page))
                .onFailure(rc::fail);
    }
}
