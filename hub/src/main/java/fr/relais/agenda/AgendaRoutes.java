package fr.relais.agenda;

import fr.relais.identity.Authentication;
import fr.relais.identity.policy.Delegations;
import fr.relais.principal.Principal;
import fr.relais.web.Fields;
import fr.relais.web.Requests;
import fr.relais.web.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Appointments over REST, and the agenda's iCalendar feed behind a secret link. */
final class AgendaRoutes {
    private final AppointmentService appointments;
    private final CalendarExport calendar;
    private final Supplier<String> publicBaseUrl;
    private final java.time.Clock clock;
    private final Delegations delegations;

    AgendaRoutes(AppointmentService appointments, CalendarExport calendar, Supplier<String> publicBaseUrl, java.time.Clock clock,
                 Delegations delegations) {
        this.appointments = appointments;
        this.delegations = delegations;
        this.calendar = calendar;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    void mount(Router api) {
        api.get("/appointments").handler(this::list);
        api.get("/patients/:patientId/appointments").handler(this::withPatient);
        api.post("/appointments").handler(this::book);
        api.put("/appointments/:id").handler(this::move);
        api.post("/appointments/:id/cancel").handler(this::cancel);
        api.put("/me/reminders").handler(rc -> appointments.setOffsets(person(rc).id(), Requests.json(rc))
                .onSuccess(json -> Responses.json(rc, 200, json)).onFailure(rc::fail));
        api.get("/agenda/reminders").handler(this::reminders);
        api.post("/agenda/calendar-link").handler(this::newLink);
        api.delete("/agenda/calendar-link").handler(this::revokeLinks);
        api.get("/agenda.ics").handler(this::ics);
    }

    private void list(RoutingContext rc) {
        Principal who = person(rc);
        Instant from = rc.queryParams().get("from") == null ? clock.instant().minus(Duration.ofDays(30))
                : ParisTime.parse(rc.queryParams().get("from"), "from");
        Instant to = rc.queryParams().get("to") == null ? clock.instant().plus(Duration.ofDays(365))
                : ParisTime.parse(rc.queryParams().get("to"), "to");
        appointments.list(who, from, to).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    /** A professional's appointments with one patient, past and to come, if the access policy lets them read her agenda. */
    private void withPatient(RoutingContext rc) {
        Principal pro = Authentication.require(rc, Principal.Kind.PROFESSIONAL);
        appointments.withPatient(pro, Fields.pathId(rc.pathParam("patientId")))
                .onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    private void reminders(RoutingContext rc) {
        int days = (int) Math.min(366, Math.max(1, Requests.queryNumber(rc, "days", 30)));
        appointments.upcomingReminders(person(rc), days).onSuccess(list -> Responses.json(rc, 200, list)).onFailure(rc::fail);
    }

    /** People book; a system with {@code agenda:write} books for a professional who delegated to it ({@code onBehalfOf}). */
    private void book(RoutingContext rc) {
        Principal caller = Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL, Principal.Kind.INTEGRATOR);
        JsonObject body = Requests.json(rc);
        delegations.acting(caller, body.getValue("onBehalfOf"), Delegations.AGENDA_SCOPE)
                .compose(who -> appointments.book(who, body))
                .onSuccess(a -> Responses.json(rc, 201, a)).onFailure(rc::fail);
    }

    private void move(RoutingContext rc) {
        appointments.move(person(rc), Fields.pathId(rc.pathParam("id")), Requests.json(rc))
                .onSuccess(a -> Responses.json(rc, 200, a)).onFailure(rc::fail);
    }

    private void cancel(RoutingContext rc) {
        appointments.cancel(person(rc), Fields.pathId(rc.pathParam("id"))).onSuccess(a -> Responses.json(rc, 200, a)).onFailure(rc::fail);
    }

    private void newLink(RoutingContext rc) {
        calendar.newLink(person(rc).id()).onSuccess(token -> Responses.json(rc, 201, new JsonObject()
                .put("url", publicBaseUrl.get() + "/api/v1/agenda.ics?token=" + token))).onFailure(rc::fail);
    }

    private void revokeLinks(RoutingContext rc) {
        calendar.revokeAll(person(rc).id()).onSuccess(n -> Responses.noContent(rc)).onFailure(rc::fail);
    }

    /** No bearer token here: calendar applications send only the link's secret. */
    private void ics(RoutingContext rc) {
        calendar.accountOf(rc.queryParams().get("token"))
                .compose(account -> appointments.list(new Principal(account, Principal.Kind.PATIENT, account, java.util.Set.of(), null),
                        clock.instant().minus(Duration.ofDays(90)), clock.instant().plus(Duration.ofDays(730))))
                .onSuccess(list -> rc.response().putHeader("Content-Type", "text/calendar; charset=utf-8")
                        .putHeader("Cache-Control", "no-store")
                        .end(CalendarExport.render(list, clock.instant())))
                .onFailure(rc::fail);
    }

    private static Principal person(RoutingContext rc) {
        return Authentication.require(rc, Principal.Kind.PATIENT, Principal.Kind.PROFESSIONAL);
    }
}
