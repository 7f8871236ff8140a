package fr.relais.identity;

import fr.relais.identity.phone.MobilePhones;
import fr.relais.principal.Principal;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** A person's mobile number and where their login codes go. People only: systems and apps get 403. */
final class PhoneRoutes {
    private final MobilePhones phones;

    PhoneRoutes(MobilePhones phones) {
        this.phones = phones;
    }

    void mount(Router api) {
        api.get("/me/phone").handler(rc -> phones.view(person(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.put("/me/phone").handler(rc -> phones.register(person(rc), Requests.json(rc), Requests.ip(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.post("/me/phone/verify").handler(rc -> phones.verify(person(rc), Requests.json(rc), Requests.ip(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.delete("/me/phone").handler(rc -> phones.remove(person(rc), Requests.ip(rc))
                .onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail));
        api.put("/me/login-code").handler(rc -> phones.chooseLoginCodeChannel(person(rc), Requests.json(rc), Requests.ip(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
    }

    private static UUID person(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL, Principal.Kind.ADMIN).id();
    }
}
