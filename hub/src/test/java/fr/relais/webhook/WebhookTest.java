package fr.relais.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lab's system that cannot hold a socket registers a webhook and gets its events POSTed to a real HTTPS receiver
 * (a certificate of its own, which the hub is told to trust): in order, signed, each exactly once across the
 * receiver's outage; an event the receiver keeps refusing goes to the dead-letter list, the next ones follow, and
 * a replay delivers it. Retries wait on the hub's clock, which the test moves.
 */
class WebhookTest {
    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.create("localhost");
    private static final Vertx RECEIVER_VERTX = Vertx.vertx();
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("webhooks.trustedCertificates", CERTIFICATE.certificatePath())
            .with("webhooks.allowPrivateAddresses", "true") // the receiver is on this machine
            .with("webhooks.dispatchEvery", "100ms")
            .with("webhooks.maxAttempts", "3")
            .with("webhooks.firstRetry", "10s");

    /** One HTTPS endpoint: what it received (headers and body), and the status it answers now. */
    private static final class Receiver {
        final List<JsonObject> received = new CopyOnWriteArrayList<>();
        final int port = TestHub.portBelowEphemeralRange();
        volatile int status = 200;
        HttpServer server;

        Receiver start() {
            server = RECEIVER_VERTX.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(CERTIFICATE.keyCertOptions()))
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        int answer = status;
                        if (answer == 200) {
                            received.add(new JsonObject().put("id", request.getHeader("Relais-Event-Id"))
                                    .put("type", request.getHeader("Relais-Event-Type"))
                                    .put("signature", request.getHeader("Relais-Signature")).put("body", body.toString())
                                    .put("hubTimeAtReceipt", hub.clock().instant().getEpochSecond()));
                        }
                        request.response().setStatusCode(answer).end();
                    }));
            server.listen(port, "127.0.0.1").await();
            return this;
        }

        void stop() {
            server.close().await();
        }

        String url() {
            return "https://localhost:" + port + "/relais";
        }

        List<String> ids() {
            return received.stream().map(r -> r.getString("id")).toList();
        }
    }

    @AfterAll
    static void closeReceivers() {
        RECEIVER_VERTX.close().await();
    }

    @Test
    void everyEventReachesTheReceiverOnceInOrderAndSignedAcrossItsOutage() {
        Receiver receiver = new Receiver().start();
        Person lab = hub.people().integrator("Labo à webhook", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patiente du webhook");
        Response set = lab.http().put("/api/v1/webhook", new JsonObject().put("url", receiver.url()));
        assertEquals(201, set.status(), set.body());
        String secret = set.json().getString("secret");
        assertTrue(secret.startsWith("whsec_"), set.body());

        List<String> deposited = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deposited.add(deposit(lab, patient));
        }
        awaitReceived(receiver, 3);
        receiver.stop();
        for (int i = 0; i < 3; i++) {
            deposited.add(deposit(lab, patient));
        }
        JsonObject failing = Eventually.await("a failed attempt recorded", Duration.ofSeconds(15),
                () -> lab.http().get("/api/v1/webhook").json(), state -> state.getInteger("failedAttempts") == 1);
        assertEquals(3, failing.getLong("pending"), failing.encode());
        receiver.start();
        hub.clock().advance(Duration.ofSeconds(10)); // the retry is due
        awaitReceived(receiver, 6);

        List<String> ids = receiver.ids();
        assertEquals(6, ids.stream().distinct().count(), "each event once: " + ids);
        List<String> documents = new ArrayList<>();
        long previous = 0;
        for (JsonObject delivery : receiver.received) {
            JsonObject event = new JsonObject(delivery.getString("body"));
            assertEquals("document.accepted", delivery.getString("type"));
            assertEquals(event.getString("epoch") + ":" + event.getLong("offset"), delivery.getString("id"));
            assertTrue(event.getLong("offset") > previous, "in the stream's order: " + ids);
            previous = event.getLong("offset");
            documents.add(event.getJsonObject("data").getString("documentId"));
            assertSignedBy(secret, delivery);
        }
        assertEquals(deposited, documents, "every deposit, in order, across the outage");
        assertEquals(0L, lab.http().get("/api/v1/webhook").json().getLong("pending"));

        JsonObject rotated = lab.http().post("/api/v1/webhook/secret", new JsonObject()).json();
        deposit(lab, patient);
        awaitReceived(receiver, 7);
        JsonObject afterRotation = receiver.received.get(6);
        assertSignedBy(rotated.getString("secret"), afterRotation);
        assertSignedBy(secret, afterRotation); // the previous secret signs too during the overlap
        receiver.stop();
        assertEquals(204, lab.http().delete("/api/v1/webhook").status());
    }

    @Test
    void anEventTheReceiverKeepsRefusingIsDeadLetteredTheNextFollowAndAReplayDeliversIt() {
        Receiver receiver = new Receiver().start();
        Person lab = hub.people().integrator("Labo refusé", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patient du refus");
        assertEquals(201, lab.http().put("/api/v1/webhook", new JsonObject().put("url", receiver.url())).status());
        receiver.status = 500;
        String refused = deposit(lab, patient);
        for (int attempt = 1; attempt <= 2; attempt++) {
            int failed = attempt;
            Eventually.await("attempt " + attempt, Duration.ofSeconds(15), () -> lab.http().get("/api/v1/webhook").json(),
                    state -> state.getInteger("failedAttempts") == failed);
            hub.clock().advance(Duration.ofSeconds(10L << (attempt - 1))); // 10 s, then 20 s
        }
        JsonArray letters = Eventually.await("the dead letter", Duration.ofSeconds(15),
                () -> new JsonArray(lab.http().get("/api/v1/webhook/dead-letters").body()), list -> list.size() == 1);
        assertEquals("document.accepted", letters.getJsonObject(0).getString("type"));
        assertEquals("answered 500", letters.getJsonObject(0).getString("lastError"));
        assertEquals(3, letters.getJsonObject(0).getInteger("attempts"));

        receiver.status = 200;
        String next = deposit(lab, patient);
        awaitReceived(receiver, 1);
        assertEquals(next, documentOf(receiver.received.get(0)), "the events after it are not held back");
        JsonObject replayed = lab.http().post("/api/v1/webhook/dead-letters/" + letters.getJsonObject(0).getString("id") + "/replay",
                new JsonObject()).json();
        assertEquals(true, replayed.getBoolean("delivered"), replayed.encode());
        assertEquals(refused, documentOf(receiver.received.get(1)));
        assertEquals(0, new JsonArray(lab.http().get("/api/v1/webhook/dead-letters").body()).size());
        String metrics = hub.http().get("/metrics").body();
        assertTrue(metrics.contains("relais_webhook_events_total{outcome=\"dead_lettered\"}"), "delivery metrics");
        assertTrue(metrics.contains("relais_webhook_attempts_total{outcome=\"failed\"}"));
        receiver.stop();
    }

    @Test
    void onlyASystemThatReadsItsStreamSetsAWebhookToAnHttpsEndpoint() {
        Person reader = hub.people().integrator("Labo lecteur", "stream:read");
        assertEquals("url", reader.http().put("/api/v1/webhook", new JsonObject().put("url", "http://localhost:1/x")).json()
                .getString("field"), "plain HTTP is refused");
        assertEquals("url", reader.http().put("/api/v1/webhook", new JsonObject().put("url", "https://user:pw@localhost/x")).json()
                .getString("field"));
        assertEquals(404, reader.http().get("/api/v1/webhook").status());
        Person depositor = hub.people().integrator("Labo sans flux", "documents:write");
        assertEquals("insufficient_scope", depositor.http().put("/api/v1/webhook", new JsonObject().put("url", "https://localhost/x"))
                .json().getString("code"));
        assertEquals(403, hub.people().patient("Patiente curieuse").http().get("/api/v1/webhook").status());
        assertFalse(hub.http().get("/metrics").body().contains("whsec_"), "never a secret in the metrics");
    }

    private static void awaitReceived(Receiver receiver, int count) {
        Eventually.await(count + " deliveries", Duration.ofSeconds(20), receiver.received::size, n -> n >= count);
    }

    private static String documentOf(JsonObject delivery) {
        return new JsonObject(delivery.getString("body")).getJsonObject("data").getString("documentId");
    }

    /** What a receiver checks: the HMAC-SHA256 under the secret of "t.body", among the header's v1 values. */
    private static void assertSignedBy(String secret, JsonObject delivery) {
        String header = delivery.getString("signature");
        String t = header.split(",")[0].substring(2);
        String expected = WebhookSigner.hmac(secret, t + "." + delivery.getString("body"));
        assertTrue(List.of(header.split(",")).contains("v1=" + expected), "signed by that secret: " + header);
        long receivedAt = delivery.getLong("hubTimeAtReceipt");
        assertTrue(Long.parseLong(t) <= receivedAt && Long.parseLong(t) >= receivedAt - 60,
                "t is the hub's time of sending: " + header + ", received at " + receivedAt + " (hub clock), now "
                        + hub.clock().instant().getEpochSecond() + ", " + delivery.getString("id"));
    }

    private static String deposit(Person lab, Person patient) {
        Response deposited = lab.http().post("/api/v1/documents", new JsonObject().put("patientId", patient.id().toString())
                .put("kind", "lab_result").put("title", "Bilan").put("contentType", "application/pdf").put("data", PDF)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString()));
        assertEquals(201, deposited.status(), deposited.body());
        return deposited.json().getString("id");
    }
}
