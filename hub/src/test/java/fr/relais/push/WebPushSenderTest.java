package fr.relais.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.PushDevice;
import fr.relais.testing.PushReceiver;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sender against a push service on this machine ({@link PushReceiver}), with devices registered through the
 * public API as a browser's page would: the service decrypts the count-only payload as the browser will and checks
 * the VAPID signature; its answers become the outcomes (404 and 410 delete the device, 429 says when to retry).
 */
class WebPushSenderTest {
    private static final PushReceiver receiver = new PushReceiver(() -> WebPushSenderTest.hub.clock().instant());

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("push.trustedCertificates", receiver.certificatePath())
            .with("push.allowPrivateAddresses", "true") // the push service is on this machine
            .with("push.timeout", "2s");

    @BeforeAll
    static void startTheService() {
        receiver.start();
    }

    @AfterAll
    static void stopTheService() {
        receiver.close();
    }

    @Test
    void aDeviceReceivesTheCountOnlyPayloadEncryptedForItAndSignedByTheHub() {
        Person patient = hub.people().patient("Patiente au téléphone");
        byte[] key = Base64.getUrlDecoder().decode(patient.http().get("/api/v1/push/key").json().getString("applicationServerKey"));
        receiver.expectKey(key);
        PushDevice phone = receiver.device("phone-" + UUID.randomUUID());
        UUID id = register(patient, phone);
        assertEquals(List.of(id), sender().subscriptionsOf(patient.id()).await());

        JsonObject payload = PushTexts.payload("fr", Map.of("messages", 2));
        PushOutcome outcome = sender().send(id, payload, "messages").await();

        assertEquals(PushOutcome.Kind.SENT, outcome.kind(), outcome.reason());
        List<PushReceiver.Received> received = receiver.receivedBy(name(phone));
        assertEquals(1, received.size());
        PushReceiver.Received message = received.get(0);
        assertEquals(List.of(), message.problems(), "VAPID verified, the body decrypted");
        assertEquals(new JsonObject().put("title", "Du nouveau dans votre espace santé").put("body", "Vous avez 2 nouveaux messages")
                .put("url", "/#/messages").put("count", 2).put("tag", "relais-messages"), message.payload());
        assertEquals("86400", message.header("TTL"), "push.ttl, 24 hours");
        assertEquals("normal", message.header("Urgency"));
        assertEquals("messages", message.header("Topic"));
        assertEquals("aes128gcm", message.header("Content-Encoding"));

        JsonObject device = new JsonArray(patient.http().get("/api/v1/push/subscriptions").body()).getJsonObject(0);
        assertEquals(hub.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString(), device.getString("lastUsedAt"), "when it was last sent to, on the hub's clock");
    }

    @Test
    void aDeviceThePushServiceNoLongerKnowsIsDeleted() {
        Person patient = hub.people().patient("Patiente aux vieux navigateurs");
        receiver.expectKey(applicationServerKey(patient));
        for (int status : List.of(404, 410)) {
            PushDevice old = receiver.device("old-" + status + "-" + UUID.randomUUID());
            UUID id = register(patient, old);
            receiver.answer(name(old), status, null);

            PushOutcome outcome = sender().send(id, PushTexts.payload("en", Map.of("documents", 1)), null).await();

            assertEquals(PushOutcome.Kind.GONE, outcome.kind(), outcome.reason());
            assertTrue(outcome.reason().contains(String.valueOf(status)), outcome.reason());
            assertEquals("[]", patient.http().get("/api/v1/push/subscriptions").body(), "the device went with its subscription");
            assertEquals(List.of(), sender().subscriptionsOf(patient.id()).await());
            assertEquals(PushOutcome.Kind.GONE, sender().send(id, PushTexts.payload("en", Map.of("documents", 1)), null).await().kind(),
                    "a device already gone stays gone");
            assertEquals(1, receiver.receivedBy(name(old)).size(), "nothing more was sent to it");
        }
    }

    @Test
    void aBusyOrFailingPushServiceIsToBeRetriedAndARefusalIsNot() {
        Person patient = hub.people().patient("Patiente patiente");
        receiver.expectKey(applicationServerKey(patient));
        PushDevice busy = receiver.device("busy-" + UUID.randomUUID());
        UUID id = register(patient, busy);
        JsonObject payload = PushTexts.payload("fr", Map.of("reminders", 1));

        receiver.answer(name(busy), 429, "120");
        PushOutcome throttled = sender().send(id, payload, null).await();
        assertEquals(PushOutcome.Kind.RETRY, throttled.kind(), throttled.reason());
        assertEquals(Optional.of(Duration.ofSeconds(120)), throttled.retryAfter());

        receiver.answer(name(busy), 503, "Wed, 21 Oct 2099 07:28:00 GMT");
        PushOutcome unavailable = sender().send(id, payload, null).await();
        assertEquals(PushOutcome.Kind.RETRY, unavailable.kind());
        assertTrue(unavailable.retryAfter().orElseThrow().compareTo(Duration.ofDays(365)) > 0, "an HTTP date, read on the hub's clock");

        receiver.answer(name(busy), 500, null);
        PushOutcome failing = sender().send(id, payload, null).await();
        assertEquals(PushOutcome.Kind.RETRY, failing.kind());
        assertEquals(Optional.empty(), failing.retryAfter());

        for (int status : List.of(400, 403, 413)) {
            receiver.answer(name(busy), status, null);
            PushOutcome refused = sender().send(id, payload, null).await();
            assertEquals(PushOutcome.Kind.REJECTED, refused.kind());
            assertTrue(refused.reason().contains(String.valueOf(status)), refused.reason());
        }
        assertEquals(1, new JsonArray(patient.http().get("/api/v1/push/subscriptions").body()).size(), "kept: only the caller knows what to do");
        assertTrue(receiver.receivedBy(name(busy)).stream().allMatch(r -> r.problems().isEmpty()), "each attempt was well formed");
    }

    @Test
    void aPushServiceThatCannotBeReachedIsToBeRetried() {
        Person patient = hub.people().patient("Patiente hors ligne");
        PushDevice nowhere = PushDevice.at("https://localhost:" + TestHub.portBelowEphemeralRange() + "/push/nowhere");
        UUID id = register(patient, nowhere);
        PushOutcome outcome = sender().send(id, PushTexts.payload("fr", Map.of("messages", 1)), null).await();
        assertEquals(PushOutcome.Kind.RETRY, outcome.kind(), outcome.reason());
    }

    @Test
    void onlyTheCountOnlyPayloadCanBeSent() {
        Person patient = hub.people().patient("Patiente discrète");
        UUID id = register(patient, receiver.device("quiet-" + UUID.randomUUID()));
        JsonObject leaky = PushTexts.payload("fr", Map.of("messages", 1)).put("subject", "Résultats de votre biopsie");
        assertInstanceOf(IllegalArgumentException.class, assertThrows(Exception.class, () -> sender().send(id, leaky, null).await()));
        JsonObject elsewhere = PushTexts.payload("fr", Map.of("messages", 1)).put("url", "https://evil.example/");
        assertInstanceOf(IllegalArgumentException.class, assertThrows(Exception.class, () -> sender().send(id, elsewhere, null).await()));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(Exception.class,
                () -> sender().send(id, PushTexts.payload("fr", Map.of("messages", 1)), "not a topic!").await()));
    }

    private static WebPushSender sender() {
        return hub.hub().push().sender();
    }

    private static byte[] applicationServerKey(Person person) {
        return Base64.getUrlDecoder().decode(person.http().get("/api/v1/push/key").json().getString("applicationServerKey"));
    }

    private static UUID register(Person person, PushDevice device) {
        Response added = person.http().post("/api/v1/push/subscriptions", device.subscription());
        assertEquals(201, added.status(), added.body());
        return UUID.fromString(added.json().getString("id"));
    }

    private static String name(PushDevice device) {
        return device.endpoint().substring(device.endpoint().lastIndexOf('/') + 1);
    }
}
