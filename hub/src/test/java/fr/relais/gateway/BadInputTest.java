package fr.relais.gateway;

import static fr.relais.gateway.BadInputEndpoint.Caller.ADMIN;
import static fr.relais.gateway.BadInputEndpoint.Caller.INTEGRATOR;
import static fr.relais.gateway.BadInputEndpoint.Caller.PATIENT;
import static fr.relais.gateway.BadInputEndpoint.Caller.PROFESSIONAL;
import static fr.relais.gateway.BadInputEndpoint.delete;
import static fr.relais.gateway.BadInputEndpoint.form;
import static fr.relais.gateway.BadInputEndpoint.get;
import static fr.relais.gateway.BadInputEndpoint.post;
import static fr.relais.gateway.BadInputEndpoint.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.gateway.BadInputEndpoint.Caller;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.People;
import fr.relais.testing.RawHttpClient;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every REST endpoint, given hostile input (NUL characters, nulls, wrong types, absurd numbers and dates, broken
 * query strings and path segments, bodies that are not objects, callers of every kind), answers a problem
 * document with a stable code and never a 5xx. A new route fails {@link #theTableCoversEveryRoute} until it is
 * added to {@link #ENDPOINTS}.
 */
class BadInputTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("auth.rateLimit.perAccount", "1000000")
            .with("auth.rateLimit.perAddress", "1000000");

    /** The API, one line per route (several when a route takes bodies of different shapes). */
    static final List<BadInputEndpoint> ENDPOINTS = List.of(
            // identity
            post("/api/v1/auth/login").json(f -> new JsonObject().put("email", "nobody@example.fr").put("password", "not the password")),
            post("/api/v1/auth/login/verify").json(f -> new JsonObject().put("challengeId", UUID.randomUUID().toString()).put("code", "123456")),
            post("/api/v1/auth/refresh").json(f -> new JsonObject().put("refreshToken", "not-a-refresh-token")),
            post("/api/v1/auth/logout").by(PATIENT, PROFESSIONAL, ADMIN, INTEGRATOR).endsSession(),
            get("/api/v1/auth/password-policy"),
            post("/api/v1/auth/activate").json(f -> new JsonObject().put("code", "not-an-activation-code").put("password", People.PASSWORD)),
            post("/api/v1/auth/oppose").json(f -> new JsonObject().put("code", "not-an-activation-code")),
            post("/api/v1/auth/oidc").json(f -> new JsonObject().put("idToken", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln")),
            post("/api/v1/oauth/token").form(f -> form("grant_type", "client_credentials",
                    "client_id", f.integrator.getString("clientId"), "client_secret", "not the secret", "scope", "stream:read")),
            post("/api/v1/oauth/token").form(f -> form("grant_type", "authorization_code", "client_id", f.app, "code", "not-a-code",
                    "redirect_uri", BadInputFixtures.APP_CALLBACK, "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
            post("/api/v1/oauth/token").form(f -> form("grant_type", "refresh_token", "client_id", f.app, "refresh_token", "not-a-token")),
            get("/api/v1/oauth/authorize").query(f -> encoded(f.authorizeRequest())),
            post("/api/v1/oauth/authorize").by(PATIENT).json(f -> new JsonObject()
                    .put("request", new JsonObject(new java.util.HashMap<>(f.authorizeRequest()))).put("decision", "deny")),
            get("/api/v1/me/apps").by(PATIENT),
            post("/api/v1/uploads").by(PATIENT, PROFESSIONAL, INTEGRATOR).json(f -> new JsonObject().put("data", BadInputFixtures.PDF)),
            delete("/api/v1/me/apps/:clientId").by(PATIENT),
            get("/.well-known/oauth-authorization-server"),
            get("/api/v1/patients").by(PROFESSIONAL),
            get("/api/v1/patients/:patientId").by(PATIENT, PROFESSIONAL),
            post("/api/v1/emergency-access").by(PROFESSIONAL)
                    .json(f -> new JsonObject().put("ins", f.ins).put("reason", "Unconscious at the emergency room")),
            get("/api/v1/professionals/:rpps").by(PROFESSIONAL),
            get("/api/v1/professionals").by(PATIENT, PROFESSIONAL).query(f -> form("q", "martin")).query("limit"),
            post("/api/v1/admin/patients").by(ADMIN).json(f -> new JsonObject().put("ins", People.insNumber())
                    .put("email", unique("patient")).put("displayName", "New Patient").put("phone", "+33600000000")
                    .put("representativeId", f.patient.id().toString())),
            post("/api/v1/admin/professionals").by(ADMIN).json(f -> new JsonObject().put("rpps", People.rppsNumber())
                    .put("profession", "nurse").put("email", unique("pro")).put("displayName", "New Nurse").put("organisation", "CHU")),
            post("/api/v1/admin/admins").by(ADMIN).json(f -> new JsonObject().put("email", unique("admin")).put("displayName", "New Admin")),
            post("/api/v1/admin/integrators").by(ADMIN)
                    .json(f -> new JsonObject().put("name", "New App").put("organisationId", f.organisationId()).put("scopes", new JsonArray().add("stream:read"))),
            put("/api/v1/admin/integrators/:id/disabled").by(ADMIN).id(f -> f.limitedIntegrator.getString("id"))
                    .json(f -> new JsonObject().put("disabled", false)),
            post("/api/v1/admin/organisations").by(ADMIN).json(f -> new JsonObject().put("kind", "laboratory")
                    .put("name", "New Lab").put("siret", "73282932000074")),
            get("/api/v1/admin/organisations").by(ADMIN),
            get("/api/v1/me").by(PATIENT, PROFESSIONAL, ADMIN, INTEGRATOR),
            post("/api/v1/me/close").by(PATIENT).json(f -> new JsonObject().put("confirm", false).put("oppose", false)),
            get("/api/v1/me/care-relationships").by(PATIENT),
            post("/api/v1/me/care-relationships").by(PATIENT).json(f -> new JsonObject().put("rpps", f.rpps2)),
            delete("/api/v1/me/care-relationships/:professionalId").by(PATIENT),
            get("/api/v1/me/care-requests").by(PATIENT),
            post("/api/v1/me/care-requests/:requestId/accept").by(PATIENT),
            post("/api/v1/me/care-requests/:requestId/decline").by(PATIENT),
            post("/api/v1/care-requests").by(PROFESSIONAL).json(f -> new JsonObject().put("ins", f.ins)),
            post("/api/v1/care-requests").by(PROFESSIONAL).json(f -> new JsonObject().put("patientId", f.patient.id().toString())),
            get("/api/v1/care-requests").by(PROFESSIONAL),
            delete("/api/v1/care-requests/:requestId").by(PROFESSIONAL),
            get("/api/v1/me/blocked-professionals").by(PATIENT),
            post("/api/v1/me/blocked-professionals").by(PATIENT).json(f -> new JsonObject().put("rpps", f.rpps3)),
            delete("/api/v1/me/blocked-professionals/:professionalId").by(PATIENT),
            get("/api/v1/me/blocked-systems").by(PATIENT),
            post("/api/v1/me/blocked-systems").by(PATIENT).json(f -> new JsonObject().put("organisationId", f.blockableOrganisation)),
            delete("/api/v1/me/blocked-systems/:blockId").by(PATIENT),
            get("/api/v1/me/delegations").by(PROFESSIONAL),
            post("/api/v1/me/delegations").by(PROFESSIONAL).json(f -> new JsonObject().put("clientId", f.integrator.getString("clientId"))),
            delete("/api/v1/me/delegations/:systemId").by(PROFESSIONAL),
            get("/api/v1/delegations").by(INTEGRATOR),
            put("/api/v1/webhook").by(INTEGRATOR).json(f -> new JsonObject().put("url", "https://93.184.215.14/hook")),
            get("/api/v1/webhook").by(INTEGRATOR),
            delete("/api/v1/webhook").by(INTEGRATOR),
            post("/api/v1/webhook/secret").by(INTEGRATOR),
            get("/api/v1/webhook/dead-letters").by(INTEGRATOR),
            post("/api/v1/webhook/dead-letters/:id/replay").by(INTEGRATOR).id(f -> java.util.UUID.randomUUID().toString()),
            // push
            get("/api/v1/push/key").by(PATIENT, PROFESSIONAL),
            post("/api/v1/push/subscriptions").by(PATIENT, PROFESSIONAL).json(f -> new JsonObject()
                    .put("endpoint", "https://93.184.215.14/push/device").put("expirationTime", null).put("label", "Téléphone")
                    .put("keys", new JsonObject().put("p256dh", BadInputFixtures.PUSH_P256DH).put("auth", BadInputFixtures.PUSH_AUTH))),
            get("/api/v1/push/subscriptions").by(PATIENT, PROFESSIONAL),
            delete("/api/v1/push/subscriptions/:id").by(PATIENT, PROFESSIONAL).id(f -> java.util.UUID.randomUUID().toString()),
            put("/api/v1/me/emergency-access-objection").by(PATIENT).json(f -> new JsonObject().put("objected", false)),
            get("/api/v1/me/access-history").by(PATIENT).query("limit", "before"),
            // messaging
            get("/api/v1/conversations").by(PATIENT, PROFESSIONAL).query("before", "limit"),
            post("/api/v1/conversations").by(PROFESSIONAL).json(BadInputFixtures::conversationBody).header("Idempotency-Key"),
            get("/api/v1/conversations/unread").by(PATIENT, PROFESSIONAL),
            get("/api/v1/patients/:patientId/conversations").by(PROFESSIONAL),
            get("/api/v1/conversations/:id/messages").by(PATIENT, PROFESSIONAL).id(f -> f.conversation).query("after", "limit"),
            post("/api/v1/conversations/:id/messages").by(PATIENT, PROFESSIONAL).id(f -> f.conversation)
                    .json(BadInputFixtures::message).header("Idempotency-Key"),
            post("/api/v1/conversations/:id/messages").by(PATIENT).id(f -> f.conversation)
                    .json(f -> f.message().put("idempotencyKey", "key-" + UUID.randomUUID())),
            post("/api/v1/conversations/:id/read").by(PATIENT, PROFESSIONAL).id(f -> f.conversation)
                    .json(f -> new JsonObject().put("upTo", 1)),
            post("/api/v1/conversations/:id/close").by(PROFESSIONAL).id(f -> f.conversationToClose),
            get("/api/v1/conversations/:id/attachments/:attachmentId").by(PATIENT, PROFESSIONAL).id(f -> f.conversation),
            post("/api/v1/conversations/:id/attachments/:attachmentId/file-to-record").by(PROFESSIONAL).id(f -> f.conversation)
                    .json(f -> new JsonObject().put("kind", "lab_result").put("careDate", f.today.toString()).put("title", "Results")),
            // record
            post("/api/v1/documents").by(PROFESSIONAL, INTEGRATOR).json(f -> f.deposit().put("patientId", f.patient.id().toString()))
                    .header("Idempotency-Key"),
            post("/api/v1/documents").by(PROFESSIONAL).json(f -> f.deposit().put("ins", f.ins)),
            post("/api/v1/documents").by(PATIENT).json(BadInputFixtures::deposit).header("Idempotency-Key"),
            post("/api/v1/documents").by(PROFESSIONAL).json(f -> f.deposit().put("patientId", f.patient.id().toString())
                    .put("idempotencyKey", "key-" + UUID.randomUUID())),
            get("/api/v1/patients/:patientId/documents").by(PATIENT, PROFESSIONAL).query("kind", "from", "to", "author", "before", "limit"),
            get("/api/v1/deposits").by(INTEGRATOR).query("before", "limit"),
            get("/api/v1/documents/:id").by(PATIENT, PROFESSIONAL).id(f -> f.document),
            get("/api/v1/documents/:id/content").by(PATIENT, PROFESSIONAL).id(f -> f.document),
            put("/api/v1/documents/:id/hidden").by(PATIENT).id(f -> f.document).json(f -> new JsonObject().put("hidden", false)),
            delete("/api/v1/documents/:id").by(PATIENT).id(f -> f.patientsDocument),
            post("/api/v1/documents/:id/versions").by(PROFESSIONAL).id(f -> f.documentToReplace).json(BadInputFixtures::deposit),
            // profile
            get("/api/v1/patients/:patientId/profile").by(PATIENT, PROFESSIONAL),
            post("/api/v1/patients/:patientId/profile/:section").by(PATIENT, PROFESSIONAL).json(BadInputFixtures::allergy),
            post("/api/v1/patients/:patientId/profile/:section").by(PATIENT).section("measurements").json(f -> new JsonObject()
                    .put("type", "weight").put("unit", "kg").put("value", 70.5).put("at", f.today + "T08:00:00+01:00")),
            post("/api/v1/patients/:patientId/profile/:section").by(PATIENT).section("treatments").json(f -> new JsonObject()
                    .put("medicine", "Paracetamol").put("dose", "1 g").put("times", new JsonArray().add("08:00"))
                    .put("from", f.today.toString()).put("until", f.today.plusDays(5).toString())),
            post("/api/v1/patients/:patientId/profile/:section").by(PATIENT).section("vaccinations").json(f -> new JsonObject()
                    .put("vaccine", "dTP").put("date", f.today.toString()).put("batch", "B42")),
            post("/api/v1/patients/:patientId/profile/:section").by(PATIENT).section("conditions").json(f -> new JsonObject()
                    .put("name", "Asthma").put("since", "2001-05-01").put("notes", "Mild")),
            put("/api/v1/patients/:patientId/profile/:section/:entryId").by(PATIENT, PROFESSIONAL).json(BadInputFixtures::allergy),
            delete("/api/v1/patients/:patientId/profile/:section/:entryId").by(PATIENT).entry(f -> f.entryToDelete),
            get("/api/v1/patients/:patientId/profile/:section/:entryId/history").by(PATIENT, PROFESSIONAL),
            // agenda
            get("/api/v1/appointments").by(PATIENT, PROFESSIONAL).query("from", "to"),
            get("/api/v1/patients/:patientId/appointments").by(PROFESSIONAL),
            post("/api/v1/appointments").by(PROFESSIONAL).json(BadInputFixtures::appointmentBody),
            post("/api/v1/appointments").by(PATIENT).json(f -> f.appointmentBody().put("patientId", null)),
            put("/api/v1/appointments/:id").by(PROFESSIONAL).id(f -> f.appointment).json(BadInputFixtures::appointmentBody),
            post("/api/v1/appointments/:id/cancel").by(PROFESSIONAL).id(f -> f.appointmentToCancel),
            put("/api/v1/me/reminders").by(PATIENT, PROFESSIONAL).json(f -> new JsonObject().put("offsets", new JsonArray().add("1d"))),
            get("/api/v1/agenda/reminders").by(PATIENT).query("days"),
            post("/api/v1/agenda/calendar-link").by(PATIENT, PROFESSIONAL),
            delete("/api/v1/agenda/calendar-link").by(PATIENT, PROFESSIONAL),
            get("/api/v1/agenda.ics").query(f -> form("token", f.calendarToken)),
            // notifications
            get("/api/v1/me/notifications").by(PATIENT, PROFESSIONAL, ADMIN),
            put("/api/v1/me/notifications").by(PATIENT, PROFESSIONAL, ADMIN).json(f -> new JsonObject().put("locale", "fr")
                    .put("quietHours", "22:00-07:00").put("categories", new JsonObject().put("messages", "email"))),
            get("/api/v1/notifications").by(PATIENT, PROFESSIONAL, INTEGRATOR).query("before", "limit", "unread", "archived"),
            post("/api/v1/notifications/archive").by(PATIENT, PROFESSIONAL).json(f -> new JsonObject().put("ids", new JsonArray().add(1))),
            post("/api/v1/notifications/read").by(PATIENT, PROFESSIONAL).json(f -> new JsonObject().put("ids", new JsonArray().add(1))),
            post("/api/v1/notifications/read").by(PATIENT, PROFESSIONAL).json(f -> new JsonObject().put("upTo", 1)),
            get("/api/v1/notifications/unsubscribe").query(f -> form("account", f.patient.id().toString(), "category", "messages",
                    "signature", "c2lnbmF0dXJl")),
            get("/api/v1/admin/emails").by(ADMIN).query("status"),
            post("/api/v1/admin/emails/:id/retry").by(ADMIN).id(f -> UUID.randomUUID().toString()),
            get("/api/v1/admin/outbox/:channel").by(ADMIN).query("status").at(f -> "/api/v1/admin/outbox/sms"),
            post("/api/v1/admin/outbox/:channel/:id/retry").by(ADMIN).at(f -> "/api/v1/admin/outbox/push/" + UUID.randomUUID()),
            get("/api/v1/admin/accounts/:id/notify-decisions").by(ADMIN).id(f -> f.patient.id().toString()).query("limit"),
            // mobile number
            get("/api/v1/me/phone").by(PATIENT, PROFESSIONAL, ADMIN),
            put("/api/v1/me/phone").by(PATIENT, PROFESSIONAL, ADMIN).json(f -> new JsonObject().put("number", "+33612345678")),
            post("/api/v1/me/phone/verify").by(PATIENT, PROFESSIONAL, ADMIN).json(f -> new JsonObject().put("code", "123456")),
            delete("/api/v1/me/phone").by(PATIENT, PROFESSIONAL, ADMIN),
            put("/api/v1/me/login-code").by(PATIENT, PROFESSIONAL, ADMIN).json(f -> new JsonObject().put("by", "email")),
            // the edge and the root
            get("/api/v1/events").by(PATIENT, PROFESSIONAL, INTEGRATOR).query("lastEventId").header("Last-Event-ID"),
            get("/api/v1/ws").by(PATIENT),
            get("/.well-known/jwks.json"),
            get("/health/live"),
            get("/health/ready"),
            get("/metrics"),
            get("/"),
            get("/activate"),
            get("/oauth/authorize").query(f -> encoded(f.authorizeRequest())),
            get("/sw.js"),
            get("/app/manifest.webmanifest"),
            get("/app/").at(f -> "/app/app.js"));

    private static Map<String, String> encoded(Map<String, String> parameters) {
        Map<String, String> encoded = new LinkedHashMap<>();
        parameters.forEach((name, value) -> encoded.put(name, java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        return encoded;
    }

    /** Routes the gateway adds itself, not through a feature's routes (and so not in {@link #routes()}). */
    private static final Set<String> GATEWAY_ROUTES = Set.of("GET /api/v1/events", "GET /api/v1/ws", "GET /health/live",
            "GET /health/ready", "GET /metrics");

    private static BadInputFixtures fixtures;
    private static final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
    private static RawHttpClient raw;

    @BeforeAll
    static void makeTheTargets() {
        fixtures = new BadInputFixtures(hub);
        raw = new RawHttpClient(hub.port());
    }

    @Test
    void theTableCoversEveryRoute() {
        Set<String> listed = ENDPOINTS.stream().map(BadInputEndpoint::key).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(routes());
        missing.removeAll(listed);
        assertEquals(Set.of(), missing, "routes that BadInputTest.ENDPOINTS does not list: add a line for each");
        Set<String> stale = new TreeSet<>(listed);
        stale.removeAll(routes());
        stale.removeAll(GATEWAY_ROUTES);
        assertEquals(Set.of(), stale, "lines of BadInputTest.ENDPOINTS that no route answers");
    }

    @Test
    void aNulCharacterOrHalfASurrogatePairIsRefusedWithOneCodeWhereverItIs() {
        String bearer = "Bearer " + fixtures.patient.accessToken();
        Map<String, HttpTestClient.Response> answers = new LinkedHashMap<>();
        answers.put("email", raw.send("POST", "/api/v1/auth/login", Map.of("Content-Type", "application/json"),
                bytes(new JsonObject().put("email", "a\u0000b@example.fr").put("password", "secret").encode())));
        answers.put("message.attachments[0].filename", raw.send("POST", "/api/v1/conversations",
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + fixtures.pro.accessToken()),
                bytes(fixtures.conversationBody().put("message", fixtures.message().put("attachments", new JsonArray()
                        .add(new JsonObject().put("filename", "a\u0000.pdf").put("contentType", "application/pdf")
                                .put("data", BadInputFixtures.PDF)))).encode())));
        // half of a surrogate pair is not text: hashed, it would match a password made of other halves or '?'
        answers.put("password", raw.send("POST", "/api/v1/auth/activate", Map.of("Content-Type", "application/json"),
                bytes("{\"code\":\"an-activation-code\",\"password\":\"\\ud800\\uD800 a long enough password\"}")));
        answers.put("to", raw.send("GET", "/api/v1/appointments?to=2027-01-01T00:00%00", Map.of("Authorization", bearer), null));
        answers.put("path", raw.send("GET", "/api/v1/documents/a%00b", Map.of("Authorization", bearer), null));
        answers.put("client_id", raw.send("POST", "/api/v1/oauth/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                bytes("grant_type=client_credentials&client_id=a%00b&client_secret=s")));
        answers.put("Idempotency-Key", raw.send("POST", "/api/v1/documents", Map.of("Content-Type", "application/json",
                "Authorization", bearer, "Idempotency-Key", "a\u0000b"), bytes(fixtures.deposit().encode())));
        answers.forEach((where, response) -> {
            assertEquals(400, response.status(), where + ": " + response.body());
            assertEquals("invalid_character", response.json().getString("code"), where + ": " + response.body());
        });
        answers.remove("Idempotency-Key"); // refused by the HTTP decoder, which does not say which header
        answers.forEach((where, response) -> assertEquals(where, response.json().getString("field"), response.body()));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersHostileInputWithAProblem() {
        return ENDPOINTS.stream().map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(), () -> {
            List<String> failures = new ArrayList<>();
            endpoint.sweep(fixtures, caller -> token(caller, endpoint.endsSessions()), request -> {
                HttpTestClient.Response response = raw.send(request.method(), request.target(), request.headers(), request.body());
                String wrong = wrongAnswer(response);
                if (wrong != null) {
                    failures.add(request.description() + " → " + wrong);
                }
            });
            assertTrue(failures.isEmpty(), failures.size() + " hostile requests were not answered with a problem:\n"
                    + String.join("\n", failures.subList(0, Math.min(100, failures.size()))));
        }));
    }

    /** What is wrong with an answer to bad input: a 5xx, or a 4xx that is not a problem document with a code. */
    private static String wrongAnswer(HttpTestClient.Response response) {
        int status = response.status();
        if (status >= 500) {
            return status + " " + abbreviate(response.body());
        }
        if (status < 400) {
            return null;
        }
        String type = response.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return status + " as " + type + ": " + abbreviate(response.body());
        }
        try {
            String code = new JsonObject(response.body()).getString("code");
            return code == null || code.isBlank() ? status + " without a code" : null;
        } catch (RuntimeException e) {
            return status + " with a body that is not a problem document: " + abbreviate(response.body());
        }
    }

    private static String token(Caller caller, boolean fresh) {
        if (caller == Caller.ANONYMOUS) {
            return null;
        }
        if (!fresh && tokens.containsKey(caller)) {
            return tokens.get(caller);
        }
        String token = switch (caller) {
            case PATIENT -> login(fixtures.patient, fresh);
            case PROFESSIONAL -> login(fixtures.pro, fresh);
            case ADMIN -> login(fixtures.admin, fresh);
            case INTEGRATOR -> fixtures.integratorToken(fixtures.integrator);
            case LIMITED_INTEGRATOR -> fixtures.integratorToken(fixtures.limitedIntegrator);
            case ANONYMOUS -> throw new IllegalStateException();
        };
        if (!fresh) {
            tokens.put(caller, token);
        }
        return token;
    }

    private static String login(People.Person person, boolean fresh) {
        return fresh ? hub.people().logIn(person.email(), People.PASSWORD).accessToken() : person.accessToken();
    }

    /** Every route the features mount, as "METHOD /path" with Vert.x's {@code :param} names. */
    private static Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        Router api = Router.router(hub.hub().vertx());
        hub.hub().apiRoutes().forEach(mount -> mount.accept(api));
        Router root = Router.router(hub.hub().vertx());
        hub.hub().rootRoutes().forEach(mount -> mount.accept(root));
        for (Route route : api.getRoutes()) {
            route.methods().forEach(method -> routes.add(method.name() + " /api/v1" + route.getPath()));
        }
        for (Route route : root.getRoutes()) {
            route.methods().forEach(method -> routes.add(method.name() + " " + route.getPath()));
        }
        return routes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String unique(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.fr";
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
