package fr.relais.profile;

import fr.relais.identity.Authentication;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The profile over REST; every call goes to the profile verticle through {@link ProfileClient}. */
public final class ProfileRoutes {
    private final ProfileClient profile;

    public ProfileRoutes(ProfileClient profile) {
        this.profile = profile;
    }

    public void mount(Router api) {
        api.get("/patients/:patientId/profile").handler(rc -> call(rc, "get", args(rc), 200));
        api.post("/patients/:patientId/profile/:section").handler(rc -> call(rc, "add", args(rc).put("data", Requests.json(rc)), 201));
        api.put("/patients/:patientId/profile/:section/:entryId").handler(rc -> call(rc, "update",
                args(rc).put("data", Requests.json(rc)), 200));
        api.delete("/patients/:patientId/profile/:section/:entryId").handler(rc -> call(rc, "delete", args(rc), 204));
        api.get("/patients/:patientId/profile/:section/:entryId/history").handler(rc -> call(rc, "history", args(rc), 200));
    }

    private void call(RoutingContext rc, String action, JsonObject args, int status) {
        profile.call(action, Authentication.principal(rc), args)
                .onSuccess(json -> {
                    if (status == 204) {
                        Responses.noContent(rc);
                    } else {
                        Responses.json(rc, status, json);
                    }
                })
                .onFailure(rc::fail);
    }

    private static JsonObject args(RoutingContext rc) {
        JsonObject args = new JsonObject();
        rc.pathParams().forEach(args::put);
        return args;
    }
}
