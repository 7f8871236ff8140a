package fr.relais.identity;

import fr.relais.identity.policy.Delegations;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Professionals let their software act for them and take it back; a system lists whom it acts for. */
public final class DelegationRoutes {
    private final Delegations delegations;

    DelegationRoutes(Delegations delegations) {
        this.delegations = delegations;
    }

    public void mount(Router api) {
        api.get("/me/delegations").handler(this::list);
        api.post("/me/delegations").handler(this::grant);
        api.delete("/me/delegations/:systemId").handler(this::revoke);
        api.get("/delegations").handler(this::professionals);
    }

    private void list(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        delegations.granted(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void grant(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        String clientId = Fields.text(Requests.json(rc), "clientId", 1, 200);
        delegations.grant(who.id(), clientId).onSuccess(system -> Responses.json(rc, 201, system)).onFailure(rc::fail);
    }

    private void revoke(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        delegations.revoke(who.id(), Fields.pathId(rc.pathParam("systemId")))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    private void professionals(RoutingContext rc) {
        Principal who = Authentication.require(rc, Principal.Kind.INTEGRATOR);
        delegations.professionalsOf(who.id()).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }
}
