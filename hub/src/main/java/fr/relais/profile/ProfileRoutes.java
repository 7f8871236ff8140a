package fr.relais.profile;

import fr.relais.identity.Authentication;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Function;

/** The profile over REST: each route reads the request into typed arguments and calls {@link MedicalProfile}. */
public final class ProfileRoutes {
    private final MedicalProfile profile;

    public ProfileRoutes(MedicalProfile profile) {
        this.profile = profile;
    }

    public void mount(Router api) {
        api.get("/patients/:patientId/profile").handler(rc ->
                answer(rc, 200, profile.get(who(rc), patient(rc)).map(ProfileView::toJson)));
        api.post("/patients/:patientId/profile/:section").handler(rc -> {
            JsonObject data = Requests.json(rc);
            answer(rc, 201, profile.add(who(rc), patient(rc), section(rc), data).map(ProfileEntry::toJson));
        });
        api.put("/patients/:patientId/profile/:section/:entryId").handler(rc -> {
            JsonObject data = Requests.json(rc);
            answer(rc, 200, profile.update(who(rc), patient(rc), section(rc), entry(rc), data).map(ProfileEntry::toJson));
        });
        api.delete("/patients/:patientId/profile/:section/:entryId").handler(rc ->
                answer(rc, 204, profile.delete(who(rc), patient(rc), section(rc), entry(rc)).map((JsonObject) null)));
        api.get("/patients/:patientId/profile/:section/:entryId/history").handler(rc ->
                answer(rc, 200, profile.history(who(rc), patient(rc), section(rc), entry(rc)).map(EntryHistory::toJson)));
    }

    private static void answer(RoutingContext rc, int status, Future<JsonObject> result) {
        result.onSuccess(json -> {
            if (status == 204) {
                Responses.noContent(rc);
            } else {
                Responses.json(rc, status, json);
            }
        }).onFailure(rc::fail);
    }

    private static Principal who(RoutingContext rc) {
        return Authentication.principal(rc);
    }

    private static UUID patient(RoutingContext rc) {
        return Fields.pathId(rc.pathParam("patientId"));
    }

    private static ProfileSection section(RoutingContext rc) {
        return ProfileSection.parse(rc.pathParam("section"));
    }

    private static UUID entry(RoutingContext rc) {
        return Fields.pathId(rc.pathParam("entryId"));
    }
}
