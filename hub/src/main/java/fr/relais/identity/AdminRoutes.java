package fr.relais.identity;

import fr.relais.identity.account.IntegratorSwitch;
import fr.relais.identity.account.Organisations;
import fr.relais.identity.account.Provisioning;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Provisioning for administrators: patients and professionals get an activation email; integrators a secret once. */
public final class AdminRoutes {
    private final Provisioning provisioning;
    private final Organisations organisations;
    private final IntegratorSwitch integrators;

    public AdminRoutes(Provisioning provisioning, Organisations organisations, IntegratorSwitch integrators) {
        this.provisioning = provisioning;
        this.organisations = organisations;
        this.integrators = integrators;
    }

    public void mount(Router api) {
        api.post("/admin/patients").handler(this::addPatient);
        api.post("/admin/professionals").handler(this::addProfessional);
        api.post("/admin/admins").handler(this::addAdmin);
        api.post("/admin/organisations").handler(this::addOrganisation);
        api.get("/admin/organisations").handler(this::listOrganisations);
        api.post("/admin/integrators").handler(this::addIntegrator);
        api.put("/admin/integrators/:id/disabled").handler(this::disableIntegrator);
    }

    private void disableIntegrator(RoutingContext rc) {
        String admin = admin(rc);
        Object disabled = Requests.json(rc).getValue("disabled");
        if (!(disabled instanceof Boolean value)) {
            throw fr.relais.error.ApiError.invalidField("disabled", "disabled must be true or false.");
        }
        integrators.set(admin, Fields.pathId(rc.pathParam("id")), value)
                .onSuccess(system -> Responses.json(rc, 200, system)).onFailure(rc::fail);
    }

    private void addPatient(RoutingContext rc) {
        String admin = admin(rc);
        created(rc, provisioning.addPatient(admin, Requests.json(rc)));
    }

    private void addProfessional(RoutingContext rc) {
        String admin = admin(rc);
        created(rc, provisioning.addProfessional(admin, Requests.json(rc)));
    }

    private void addAdmin(RoutingContext rc) {
        String admin = admin(rc);
        created(rc, provisioning.addAdmin(admin, Requests.json(rc)));
    }

    private void addOrganisation(RoutingContext rc) {
        String admin = admin(rc);
        organisations.add(admin, Requests.json(rc))
                .onSuccess(organisation -> Responses.json(rc, 201, organisation.toJson()))
                .onFailure(rc::fail);
    }

    private void listOrganisations(RoutingContext rc) {
        admin(rc);
        organisations.list().onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void addIntegrator(RoutingContext rc) {
        String admin = admin(rc);
        provisioning.addIntegrator(admin, Requests.json(rc))
                .onSuccess(client -> Responses.json(rc, 201, new JsonObject()
                        .put("id", client.id().toString()).put("clientId", client.clientId())
                        .put("clientSecret", client.clientSecret()).put("name", client.name())
                        .put("scopes", new JsonArray(client.scopes())).put("organisation", client.organisation().toJson())))
                .onFailure(rc::fail);
    }

    /** The account is created and its activation email queued in the outbox (it leaves as soon as SMTP takes it). */
    private void created(RoutingContext rc, Future<Provisioning.Created> creation) {
        creation.compose(created -> provisioning.sendActivation(created)
                        .map(v -> created.account().toJson().put("activationEmailQueued", true)))
                .onSuccess(json -> Responses.json(rc, 201, json))
                .onFailure(rc::fail);
    }

    private static String admin(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.ADMIN).id().toString();
    }
}
