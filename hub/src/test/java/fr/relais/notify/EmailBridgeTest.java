package fr.relais.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.HubProcess;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email bridge against a real SMTP server: outbox, digests without health data, preferences, quiet hours. */
@ClockSensitive
class EmailBridgeTest {
    private static final String DIGEST = "Du nouveau dans votre espace santé";

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("notify.quietHours", ""); // no hour holds a digest unless a test sets quiet hours itself

    @Test
    void anUnreadMessageYieldsOneCountOnlyDigestAndAReadOneNone() {
        Person doctor = hub.people().professional("Dr Dupont-Secret", "physician");
        Person reader = hub.people().patient("Lectrice");
        Person away = hub.people().patient("Absent");
        treats(doctor, reader);
        treats(doctor, away);
        try (WsTestClient socket = live(reader)) {
            send(doctor, reader, "Résultat confidentiel", "Votre glycémie est à 1,32 g/L");
            send(doctor, away, "Résultat confidentiel", "Votre glycémie est à 1,32 g/L");
            List<JsonObject> events = socket.awaitEvents(2);
            socket.send(new JsonObject().put("type", "ack").put("offset", events.get(events.size() - 1).getLong("offset")));
            Eventually.await("the ack stored", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT acked FROM stream WHERE recipient_id = ?", reader.id()), n -> n >= 2);
        }
        scanAfterTheDelay();
        MimeMessage digest = Eventually.await("the digest", Duration.ofSeconds(15), () -> digests(away.email()), l -> l.size() == 1).get(0);
        String body = GreenMailUtil.getBody(digest);
        assertTrue(body.contains("1 nouveau message"), body);
        for (String secret : List.of("glycémie", "1,32", "confidentiel", "Dupont", "Résultat")) {
            assertFalse(body.contains(secret), "no health data nor names in the email: " + secret);
        }
        assertEquals(0, digests(reader.email()).size(), "what was read is not emailed");
        scanAfterTheDelay();
        hub.hub().dispatcher().runOnce().await();
        assertEquals(1, digests(away.email()).size(), "one digest per window");
    }

    @Test
    void securityCodesIgnoreQuietHoursWhileDigestsWaitForTheirEnd() {
        Person doctor = hub.people().professional("Dr Nuit", "physician");
        Person patient = hub.people().patient("Dormeur");
        treats(doctor, patient);
        var paris = hub.clock().instant().atZone(ZoneId.of("Europe/Paris")).toLocalTime();
        String quiet = paris.minusHours(1).withSecond(0).withNano(0) + "-" + paris.plusHours(1).withSecond(0).withNano(0);
        assertEquals(200, patient.http().put("/api/v1/me/notifications", new JsonObject().put("quietHours", quiet)).status());
        hub.people().logIn(patient.email(), People.PASSWORD); // the code arrives at once, quiet hours or not

        send(doctor, patient, "Suivi", "Texte");
        scanAfterTheDelay();
        hub.hub().dispatcher().runOnce().await();
        assertEquals(0, digests(patient.email()).size(), "deferred to the end of the quiet hours");
        assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ? AND category = 'digest' AND status = 'pending'",
                patient.id()));
        hub.clock().advance(Duration.ofHours(2));
        try {
            Eventually.await("the deferred digest", Duration.ofSeconds(15), () -> digests(patient.email()), l -> l.size() == 1);
        } finally {
            hub.clock().advance(Duration.ofHours(-2));
        }
    }

    @Test
    void preferencesAndTheSignedUnsubscribeLinkAreHonoured() {
        Person doctor = hub.people().professional("Dr Préférences", "physician");
        Person quiet = hub.people().patient("Discret");
        Person other = hub.people().patient("Abonné");
        treats(doctor, quiet);
        treats(doctor, other);
        Response set = quiet.http().put("/api/v1/me/notifications", new JsonObject()
                .put("categories", new JsonObject().put("messages", "live")).put("locale", "en"));
        assertEquals(200, set.status(), set.body());
        assertEquals("live", set.json().getJsonObject("categories").getString("messages"));
        assertEquals("categories.poetry", quiet.http().put("/api/v1/me/notifications",
                new JsonObject().put("categories", new JsonObject().put("poetry", "email"))).json().getString("field"));

        send(doctor, quiet, "a", "b");
        send(doctor, other, "a", "b");
        scanAfterTheDelay();
        MimeMessage digest = Eventually.await("the digest", Duration.ofSeconds(15), () -> digests(other.email()), l -> l.size() == 1).get(0);
        hub.hub().dispatcher().runOnce().await();
        assertEquals(0, hub.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ? AND category = 'digest'", quiet.id()),
                "live-only categories are never emailed");

        Matcher link = Pattern.compile("(/api/v1/notifications/unsubscribe\\?[^\\s\"<]+)").matcher(GreenMailUtil.getBody(digest)
                .replace("=\r\n", "").replace("=3D", "="));
        assertTrue(link.find(), GreenMailUtil.getBody(digest));
        String path = link.group(1).replace("&amp;", "&");
        assertEquals(404, hub.http().get(path.replace("signature=", "signature=x")).status(), "a forged link does nothing");
        assertEquals(200, hub.http().get(path).status());
        assertEquals("live", other.http().get("/api/v1/me/notifications").json().getJsonObject("categories").getString("messages"));
    }

    @Test
    void withSmtpDownEmailsWaitAndLeaveExactlyOnceWhenItIsBack() {
        Person patient = hub.people().patient("Panne SMTP");
        hub.stopMail();
        String challenge;
        try {
            challenge = hub.people().startLogin(patient.email(), People.PASSWORD);
            Eventually.await("a failed attempt", Duration.ofSeconds(15), () -> hub.sql().count(
                    "SELECT count(*) FROM outbox WHERE recipient_id = ? AND category = 'security' AND attempts >= 1 AND status = 'pending'",
                    patient.id()), n -> n >= 1);
            for (int tick = 0; tick < 10; tick++) { // a security code backs off too, instead of using up its attempts in seconds
                hub.hub().dispatcher().runOnce().await();
            }
            assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE dedup_key = ? AND status = 'pending' AND attempts = 1",
                    "login-code:" + challenge), "one attempt, then waiting for its backoff");
        } finally {
            hub.startMail();
        }
        hub.clock().advance(Duration.ofMinutes(1)); // past the backoff
        try {
            String code = hub.people().awaitCode(patient.email());
            hub.hub().dispatcher().runOnce().await();
            hub.hub().dispatcher().runOnce().await();
            long codes = Arrays.stream(hub.mail().getReceivedMessagesForDomain(patient.email()))
                    .filter(m -> GreenMailUtil.getBody(m).contains("code de connexion")).count();
            assertEquals(1, codes, "sent once");
            assertEquals(1, hub.sql().count("SELECT count(*) FROM outbox WHERE dedup_key = ? AND status = 'sent' AND attempts >= 2",
                    "login-code:" + challenge), "the same row, sent after its failed attempt");
            assertEquals(6, code.length());
            assertTrue(challenge.length() > 0);
        } finally {
            hub.clock().advance(Duration.ofMinutes(-1));
        }
    }

    @Test
    void deadLettersAreVisibleToAdminsOnlyAndCanBeRetried() {
        Person patient = hub.people().patient("Lettre morte");
        Person admin = hub.people().admin("Postmaster");
        hub.sql().execute("UPDATE outbox SET status = 'dead', last_error = '550 mailbox unavailable' WHERE dedup_key LIKE 'login-code:%' "
                + "AND recipient_id = '" + patient.id() + "'");
        assertEquals(403, patient.http().get("/api/v1/admin/emails?status=dead").status());
        JsonArray dead = new JsonArray(admin.http().get("/api/v1/admin/emails?status=dead").body());
        JsonObject letter = dead.stream().map(JsonObject.class::cast).filter(e -> e.getString("to").equals(patient.email()))
                .findFirst().orElseThrow();
        assertEquals("550 mailbox unavailable", letter.getString("lastError"));
        assertFalse(letter.containsKey("text") || letter.encode().contains("code de connexion"), "no content is shown");
        int before = hub.mail().getReceivedMessagesForDomain(patient.email()).length;
        assertEquals(204, admin.http().post("/api/v1/admin/emails/" + letter.getString("id") + "/retry", new JsonObject()).status());
        Eventually.await("the retried email", Duration.ofSeconds(15),
                () -> hub.mail().getReceivedMessagesForDomain(patient.email()).length, n -> n == before + 1);
    }

    @Test
    void templatesRenderFromTheCommandLineInBothLanguages() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "mail-render-" + System.nanoTime()));
        try (HubProcess run = HubProcess.start(work, Map.of(), "mail", "render", "digest", "--locale", "en")) {
            assertEquals(0, run.awaitExit(Duration.ofSeconds(60)), run.output());
            assertTrue(run.output().contains("2 new messages, 1 new document"), run.output());
        }
        try (HubProcess run = HubProcess.start(work, Map.of(), "mail", "render", "digest")) {
            assertEquals(0, run.awaitExit(Duration.ofSeconds(60)), run.output());
            assertTrue(run.output().contains("2 nouveaux messages, 1 nouveau document"), run.output());
        }
    }

    private static void scanAfterTheDelay() {
        hub.emailWhatWasMissed();
    }

    private static List<MimeMessage> digests(String email) {
        return Arrays.stream(hub.mail().getReceivedMessagesForDomain(email)).filter(m -> {
            try {
                return m.getSubject().equals(DIGEST) || m.getSubject().equals("Something new in your health space");
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
    }

    private static void send(Person doctor, Person patient, String subject, String body) {
        Response sent = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                .put("participants", new JsonArray().add(patient.id().toString())).put("message", new JsonObject().put("body", body)));
        assertEquals(201, sent.status(), sent.body());
    }

    private static void treats(Person doctor, Person patient) {
        hub.people().treats(doctor, patient);
    }

    private static WsTestClient live(Person person) {
        return hub.people().live(person);
    }
}
