package fr.relais.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.outbox.Channel;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.PushDevice;
import fr.relais.testing.PushReceiver;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The one decision for all channels, end to end: missed events go by push to every device of the person (decrypted
 * by a push service on this machine, with the right count), a device whose push waited is not sent it once another
 * acknowledged the events live, a subscription the push service says is gone is removed, quiet hours hold a push and
 * never a login code, and each decision is recorded for admins with its counts.
 */
@ClockSensitive
class NotifyChannelsTest {
    private static final Duration PUSH_DELAY = Duration.ofSeconds(15);
    private static final Pattern CODE = Pattern.compile("(\\d{6})");
    private static final PushReceiver receiver = new PushReceiver(() -> NotifyChannelsTest.hub.clock().instant());

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("push.trustedCertificates", receiver.certificatePath())
            .with("push.allowPrivateAddresses", "true") // the push service is on this machine
            .with("push.timeout", "2s")
            .with("notify.pushDelay", PUSH_DELAY.toSeconds() + "s")
            .with("notify.quietHours", ""); // no default quiet hours: the tests that want some choose them

    @BeforeAll
    static void startThePushService() {
        receiver.start();
    }

    @AfterAll
    static void stopThePushService() {
        receiver.close();
    }

    @Test
    void missedMessagesArePushedToEveryDeviceWithTheirCountAndADeviceThatWaitedIsNotSentThemOnceAnotherReadThem() {
        Person patient = hub.people().patient("Léa Push");
        PushDevice phone = device(patient, "phone");
        PushDevice laptop = device(patient, "laptop");
        receiver.answer(name(laptop), 503, "1"); // the laptop's push service is busy for now
        Person doctor = hub.people().professional("Dr Push", "physician");
        String conversation = hub.people().conversation(doctor, patient);
        assertEquals(201, doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                new JsonObject().put("body", "Deuxième message")).status());

        decideAfterThePushDelay();
        dispatchPushes();
        PushReceiver.Received pushed = receiver.await(name(phone), 1);
        assertEquals(List.of(), pushed.problems(), "decrypted as the browser will, VAPID verified");
        assertEquals(2, pushed.payload().getInteger("count"));
        assertEquals("Vous avez 2 nouveaux messages", pushed.payload().getString("body"));
        assertEquals("/#/messages", pushed.payload().getString("url"));
        assertTrue(!pushed.payload().encode().contains("Deuxième") && !pushed.payload().encode().contains("Push"),
                "counts and a link only: " + pushed.payload());
        receiver.await(name(laptop), 1); // tried on the laptop too, whose service was busy

        try (WsTestClient phoneApp = hub.people().live(patient)) { // the person opens the portal: their events are read
            long last = hub.sql().count("SELECT head FROM stream WHERE recipient_id = ?", patient.id()); // subscribed at the head
            phoneApp.send(new JsonObject().put("type", "ack").put("offset", last));
            Eventually.await("the acknowledgement recorded", Duration.ofSeconds(10), () -> hub.sql().count(
                    "SELECT count(*) FROM stream WHERE recipient_id = ? AND acked >= ?", patient.id(), last), n -> n == 1);
        }
        receiver.answer(name(laptop), 201, null);
        hub.clock().advance(Duration.ofSeconds(5)); // past the retry's wait
        dispatchPushes();
        assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'push' AND recipient_id = ? "
                + "AND status = 'skipped' AND last_error = 'read'", patient.id()), "the laptop's retry was dropped");
        assertEquals(1, receiver.receivedBy(name(laptop)).size(), "the laptop was not sent what was read on the phone");
        passTheEmailDelay();
        assertEquals(0, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient_id = ? "
                + "AND category IN ('digest', 'push-fallback') AND status = 'sent'", patient.id()),
                "what went by push is not emailed too");
    }

    @Test
    void anEventAcknowledgedLiveWithinThePushDelayIsNeitherPushedNorEmailed() {
        Person patient = hub.people().patient("Marc Live");
        PushDevice phone = device(patient, "phone");
        Person doctor = hub.people().professional("Dr Live", "physician");
        try (WsTestClient open = hub.people().live(patient)) {
            hub.people().conversation(doctor, patient);
            JsonObject event = open.awaitType("message.created");
            open.send(new JsonObject().put("type", "ack").put("offset", event.getLong("offset")));
            Eventually.await("the acknowledgement recorded", Duration.ofSeconds(10), () -> hub.sql().count(
                    "SELECT count(*) FROM stream WHERE recipient_id = ? AND acked >= ?", patient.id(), event.getLong("offset")),
                    n -> n == 1);
        }
        decideAfterThePushDelay();
        dispatchPushes();
        assertEquals(0, receiver.receivedBy(name(phone)).size());
        assertEquals(0, hub.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ? AND category <> 'security'",
                patient.id()));
    }

    @Test
    void aSubscriptionThePushServiceSaysIsGoneIsRemovedAndWhatItWasToCarryIsEmailed() {
        Person patient = hub.people().patient("Nina Expirée");
        PushDevice old = device(patient, "old");
        receiver.answer(name(old), 410, null);
        Person doctor = hub.people().professional("Dr Gone", "physician");
        hub.people().conversation(doctor, patient);
        decideAfterThePushDelay();
        dispatchPushes();
        Eventually.await("the push to the gone device skipped", Duration.ofSeconds(10), () -> hub.sql().count(
                "SELECT count(*) FROM outbox WHERE channel = 'push' AND recipient_id = ? AND status = 'skipped' "
                        + "AND last_error LIKE 'address gone%'", patient.id()), n -> n == 1);
        assertEquals("[]", patient.http().get("/api/v1/push/subscriptions").body(), "the device is no longer listed");

        hub.people().conversation(doctor, patient);
        decideAfterThePushDelay();
        assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient_id = ? "
                + "AND dedup_key LIKE 'digest:%'", patient.id()), "with no device left, the next missed events go by email");
        passTheEmailDelay();
        assertEquals(2, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient_id = ? "
                + "AND category IN ('digest', 'push-fallback') AND status = 'sent'", patient.id()),
                "the events whose push reached no device are emailed after all, and the next ones too");
        assertEquals(1, receiver.receivedBy(name(old)).size());
    }

    @Test
    void eventsThatFollowEachOtherMakeOneDigestThatCountsThemAllAndLeavesWhenTheFirstWouldHave() {
        Person patient = hub.people().patient("Sam Rafale");
        Person doctor = hub.people().professional("Dr Rafale", "physician");
        String conversation = hub.people().conversation(doctor, patient);
        decideAfterThePushDelay();
        for (String body : List.of("Deuxième", "Troisième")) {
            assertEquals(201, doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                    new JsonObject().put("body", body)).status());
            decideAfterThePushDelay();
        }
        assertEquals(2, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient_id = ? "
                + "AND category = 'digest' AND status = 'skipped' AND last_error = 'superseded'", patient.id()));
        List<java.util.Map<String, Object>> pending = hub.sql().rows("SELECT not_before FROM outbox WHERE channel = 'email' "
                + "AND recipient_id = ? AND category = 'digest' AND status = 'pending'", patient.id());
        assertEquals(1, pending.size(), "one digest waits");
        assertEquals(0, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'email' AND recipient_id = ? "
                + "AND category = 'digest'", doctor.id()), "the doctor, with no socket open either, is not told of his own messages");
        hub.clock().advance(hub.config().notifications().delay().minus(PUSH_DELAY.plusSeconds(2).multipliedBy(3)).plusSeconds(1));
        hub.hub().dispatcher(Channel.EMAIL).runOnce().await();
        String digest = Eventually.await("the digest", Duration.ofSeconds(10), () -> java.util.Arrays.stream(
                hub.mail().getReceivedMessagesForDomain(patient.email())).map(m -> com.icegreen.greenmail.util.GreenMailUtil.getBody(m))
                .filter(text -> text.contains("nouveaux messages")).toList(), list -> !list.isEmpty()).get(0);
        assertTrue(digest.contains("3 nouveaux messages"), "one email counts all three, when the first had waited its delay: "
                + digest);
    }

    @Test
    void quietHoursHoldAPushButNeverALoginCode() {
        Person patient = hub.people().patient("Omar Calme");
        PushDevice phone = device(patient, "phone");
        String mobile = "+33611223344";
        assertEquals(200, patient.http().put("/api/v1/me/phone", new JsonObject().put("number", mobile)).status());
        assertEquals(200, patient.http().post("/api/v1/me/phone/verify", new JsonObject().put("code",
                codeIn(hub.smsc().awaitText(mobile, Duration.ofSeconds(20))))).status());
        assertEquals(200, patient.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms")).status());
        Instant inAMinute = hub.clock().instant().plus(Duration.ofMinutes(1));
        LocalTime now = inAMinute.atZone(TestClock.PARIS).toLocalTime();
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String quiet = now.minusHours(1).format(hhmm) + "-" + now.plusHours(2).format(hhmm); // around now, whatever the hour
        assertEquals(200, patient.http().put("/api/v1/me/notifications", new JsonObject().put("quietHours", quiet)).status());
        Person doctor = hub.people().professional("Dr Calme", "physician");
        String conversation = hub.people().conversation(doctor, patient);

        decideAfterThePushDelay();
        dispatchPushes();
        assertEquals(0, receiver.receivedBy(name(phone)).size(), "held by the quiet hours");
        List<java.util.Map<String, Object>> held = hub.sql().rows("SELECT status, not_before FROM outbox WHERE channel = 'push' "
                + "AND recipient_id = ?", patient.id());
        assertEquals(1, held.size());
        assertEquals("pending", held.get(0).get("status"));

        Response login = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", patient.email()).put("password", People.PASSWORD));
        assertEquals("sms", login.json().getString("delivery"));
        String code = Eventually.await("the login code by SMS, quiet hours or not", Duration.ofSeconds(20),
                () -> hub.smsc().to(mobile), list -> list.size() == 2).get(1).text();
        assertEquals(200, hub.http().postJson("/api/v1/auth/login/verify", new JsonObject()
                .put("challengeId", login.json().getString("challengeId")).put("code", codeIn(code))).status());

        JsonObject decision = decisions(patient).getJsonObject(0);
        assertEquals(new JsonObject().put("messages", 1), decision.getJsonObject("push").getJsonObject("counts"));
        assertTrue(Instant.parse(decision.getJsonObject("push").getString("notBefore")).isAfter(hub.clock().instant().plus(
                Duration.ofMinutes(30))), "the push waits for the end of the quiet hours: " + decision);

        assertEquals(201, doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                new JsonObject().put("body", "Encore un")).status());
        decideAfterThePushDelay();
        assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'push' AND recipient_id = ? "
                + "AND status = 'skipped' AND last_error = 'superseded'", patient.id()), "the waiting push is replaced");
        hub.clock().advance(Duration.ofHours(3)); // the quiet hours are over
        dispatchPushes();
        assertEquals(2, receiver.await(name(phone), 1).payload().getInteger("count"),
                "one push, which counts everything that waits");
        assertEquals(1, receiver.receivedBy(name(phone)).size());
    }

    @Test
    void eachDecisionIsRecordedWithItsCountsForAdminsOnlyAndCountedPerChannel() {
        Person withDevice = hub.people().patient("Paul Deux Appareils");
        device(withDevice, "tablet");
        device(withDevice, "phone");
        Person without = hub.people().patient("Rita Sans Appareil");
        Person doctor = hub.people().professional("Dr Décide", "physician");
        hub.people().conversation(doctor, withDevice);
        hub.people().conversation(doctor, without);
        decideAfterThePushDelay();

        JsonObject pushed = decisions(withDevice).getJsonObject(0);
        assertEquals(2, pushed.getInteger("devices"));
        assertEquals(new JsonObject().put("messages", 1), pushed.getJsonObject("push").getJsonObject("counts"));
        assertEquals(new JsonObject(), pushed.getJsonObject("email").getJsonObject("counts"));
        JsonObject emailed = decisions(without).getJsonObject(0);
        assertEquals(0, emailed.getInteger("devices"));
        assertEquals(new JsonObject().put("messages", 1), emailed.getJsonObject("email").getJsonObject("counts"));
        assertEquals(new JsonObject(), emailed.getJsonObject("push").getJsonObject("counts"));
        assertTrue(!decisions(without).encode().contains("Premier message"), "counts only");

        String path = "/api/v1/admin/accounts/" + without.id() + "/notify-decisions";
        assertEquals(403, without.http().get(path).status(), "a person does not read the decisions, theirs included");
        assertEquals(403, doctor.http().get(path).status());
        String metrics = hub.http().get("/metrics").body();
        assertTrue(metrics.contains("relais_notify_decisions_total{channel=\"push\"}"), "decisions per channel");
        assertTrue(metrics.contains("relais_notify_decisions_total{channel=\"email\"}"));
        assertTrue(metrics.contains("relais_outbox_sent_total{channel=\"sms\"}"), "deliveries per channel");
    }

    private static JsonArray decisions(Person person) {
        Response answer = hub.people().admin("Admin des décisions").http()
                .get("/api/v1/admin/accounts/" + person.id() + "/notify-decisions");
        assertEquals(200, answer.status(), answer.body());
        return answer.json().getJsonArray("items");
    }

    /**
     * Moves the hub's clock (which stands still in tests, and dates the events) past the push delay of every event
     * written so far, and decides.
     */
    private static void decideAfterThePushDelay() {
        hub.awaitEventsNumbered();
        hub.clock().advance(PUSH_DELAY.plusSeconds(2));
        hub.hub().notifications().scanOnce().await();
    }

    /** Moves the clock past the email delay of every decision so far, and sends the emails then due. */
    private static void passTheEmailDelay() {
        hub.clock().advance(hub.config().notifications().delay());
        hub.hub().dispatcher(Channel.EMAIL).runOnce().await();
    }

    private static void dispatchPushes() {
        hub.hub().dispatcher(Channel.PUSH).runOnce().await();
    }

    private static PushDevice device(Person person, String name) {
        receiver.expectKey(Base64.getUrlDecoder().decode(person.http().get("/api/v1/push/key").json().getString("applicationServerKey")));
        PushDevice device = receiver.device(name + "-" + UUID.randomUUID());
        Response added = person.http().post("/api/v1/push/subscriptions", device.subscription());
        assertEquals(201, added.status(), added.body());
        return device;
    }

    private static String name(PushDevice device) {
        return device.endpoint().substring(device.endpoint().lastIndexOf('/') + 1);
    }

    private static String codeIn(String text) {
        Matcher matcher = CODE.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }
}
