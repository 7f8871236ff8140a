package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.SmscSimulator;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mobile number registered, proven with a code sent by SMS through a real SMPP server, then chosen for login
 * codes: the login code arrives by SMS and opens a session. The wrong inputs, the wrong kinds of caller, and the
 * outbox's limits per account and per number.
 */
class SmsLoginTest {
    private static final Pattern CODE = Pattern.compile("(\\d{6})");
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    /** A French mobile number of its own for each test, so that tests do not share their per-number limit. */
    private static String freshMobile() {
        return String.format("+3361%07d", 1_000_000 + NUMBERS.incrementAndGet() * 137 + (int) (System.nanoTime() % 100));
    }

    private static String codeIn(String text) {
        Matcher matcher = CODE.matcher(text);
        assertTrue(matcher.find(), "no code in " + text);
        return matcher.group(1);
    }

    private static Person withVerifiedMobile(String name, String number) {
        Person person = hub.people().patient(name);
        Response registered = person.http().put("/api/v1/me/phone", new JsonObject().put("number", number));
        assertEquals(200, registered.status(), registered.body());
        String code = codeIn(hub.smsc().awaitText(number, Duration.ofSeconds(20)));
        Response verified = person.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", code));
        assertEquals(200, verified.status(), verified.body());
        return person;
    }

    @Test
    void aVerifiedMobileChosenForLoginCodesReceivesTheCodeBySmsAndTheCodeOpensASession() {
        String number = freshMobile();
        Person alice = hub.people().patient("Alice Sms");
        String national = "0" + number.substring(3, 4) + " " + number.substring(4, 6) + " " + number.substring(6, 8) + " "
                + number.substring(8, 10) + " " + number.substring(10, 12);
        Response registered = alice.http().put("/api/v1/me/phone", new JsonObject().put("number", national));
        assertEquals(200, registered.status(), registered.body());
        assertEquals(number, registered.json().getString("number"), "written the French way, kept in E.164");
        assertFalse(registered.json().getBoolean("verified"));
        assertNotNull(registered.json().getString("verificationExpiresAt"));

        SmscSimulator.Received verification = Eventually.await("the verification SMS", Duration.ofSeconds(20),
                () -> hub.smsc().to(number), list -> !list.isEmpty()).get(0);
        assertEquals("Relais", verification.from());
        assertEquals(0x08, verification.dataCoding(), "French with accents goes as UCS-2");
        assertTrue(verification.text().length() <= 70, "one SMS: " + verification.text());
        assertFalse(verification.text().contains("Alice"), "the code and nothing else");

        Response notYet = alice.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms"));
        assertEquals(409, notYet.status(), notYet.body());
        assertEquals("phone_not_verified", notYet.json().getString("code"));

        Response wrong = alice.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "000000"));
        assertEquals(400, wrong.status(), wrong.body());
        assertEquals("phone_code_invalid", wrong.json().getString("code"));
        assertEquals(4, wrong.json().getInteger("attemptsLeft"));

        Response verified = alice.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", codeIn(verification.text())));
        assertEquals(200, verified.status(), verified.body());
        assertTrue(verified.json().getBoolean("verified"));
        Response chosen = alice.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms"));
        assertEquals(200, chosen.status(), chosen.body());
        assertEquals("sms", chosen.json().getString("loginCodeBy"));
        jakarta.mail.internet.MimeMessage notice = fr.relais.testing.Eventually.await("the owner told by email",
                Duration.ofSeconds(20), () -> java.util.Arrays.stream(hub.mail().getReceivedMessagesForDomain(alice.email()))
                        .filter(m -> com.icegreen.greenmail.util.GreenMailUtil.getBody(m).contains("par SMS")).toList(),
                list -> !list.isEmpty()).get(0);
        String told = com.icegreen.greenmail.util.GreenMailUtil.getBody(notice).replace("=\r\n", "");
        assertTrue(told.contains(number.substring(10)) && !told.contains(number.substring(3, 10)),
                "the number all but its last two digits hidden: " + told);
        assertEquals(200, alice.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms")).status());

        int emailsBefore = hub.mail().getReceivedMessagesForDomain(alice.email()).length;
        Response started = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", alice.email()).put("password", People.PASSWORD));
        assertEquals(200, started.status(), started.body());
        assertEquals("sms", started.json().getString("delivery"));
        assertEquals("+33 " + number.charAt(3) + " •• •• •• " + number.substring(10), started.json().getString("sentTo"));
        String loginCode = Eventually.await("the login SMS", Duration.ofSeconds(20), () -> hub.smsc().to(number),
                list -> list.size() == 2).get(1).text();
        assertTrue(loginCode.contains("connexion"), loginCode);
        Response session = hub.http().postJson("/api/v1/auth/login/verify", new JsonObject()
                .put("challengeId", started.json().getString("challengeId")).put("code", codeIn(loginCode)));
        assertEquals(200, session.status(), session.body());
        assertEquals(alice.id().toString(), session.json().getJsonObject("account").getString("id"));
        assertEquals(emailsBefore, hub.mail().getReceivedMessagesForDomain(alice.email()).length, "no code by email");

        Response byEmailThisTime = hub.http().postJson("/api/v1/auth/login", new JsonObject().put("email", alice.email())
                .put("password", People.PASSWORD).put("delivery", "email"));
        assertEquals(200, byEmailThisTime.status(), byEmailThisTime.body());
        assertEquals("email", byEmailThisTime.json().getString("delivery"), "a lost phone: the code by email, when asked");
        hub.people().awaitCode(alice.email());
        assertEquals(2, hub.smsc().to(number).size());

        assertEquals(204, alice.http().delete("/api/v1/me/phone").status());
        Response removed = alice.http().get("/api/v1/me/phone");
        assertEquals(null, removed.json().getString("number"));
        assertEquals("email", removed.json().getString("loginCodeBy"));
        Response afterRemoval = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", alice.email()).put("password", People.PASSWORD));
        assertEquals("email", afterRemoval.json().getString("delivery"));
    }

    @Test
    void numbersThatCannotReceiveATextAndOtherBadInputsAreRefusedWithTheirCode() {
        Person bob = hub.people().patient("Bob Sms");
        assertRefused(bob.http().put("/api/v1/me/phone", new JsonObject().put("number", "12")), 400, "invalid_phone_number");
        assertRefused(bob.http().put("/api/v1/me/phone", new JsonObject().put("number", "not a number")), 400, "invalid_phone_number");
        assertRefused(bob.http().put("/api/v1/me/phone", new JsonObject().put("number", "01 42 68 53 00")), 400, "phone_not_mobile");
        assertRefused(bob.http().put("/api/v1/me/phone", new JsonObject().put("number", 612345678)), 400, "invalid_field");
        assertRefused(bob.http().put("/api/v1/me/phone", new JsonObject()), 400, "invalid_field");
        assertRefused(bob.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "123456")), 409,
                "no_pending_verification");
        assertRefused(bob.http().put("/api/v1/me/login-code", new JsonObject().put("by", "pigeon")), 400, "invalid_field");
        assertRefused(hub.http().postJson("/api/v1/auth/login", new JsonObject().put("email", bob.email())
                .put("password", People.PASSWORD).put("delivery", "fax")), 400, "invalid_field");

        Response belgian = bob.http().put("/api/v1/me/phone", new JsonObject().put("number", "+32 470 12 34 56"));
        assertEquals(200, belgian.status(), belgian.body());
        assertEquals("+32470123456", belgian.json().getString("number"), "international numbers too");
        assertRefused(bob.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "abc")), 400, "invalid_field");
        assertRefused(bob.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "0000000")), 400, "invalid_field");
        Response wrong = bob.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "000000"));
        assertRefused(wrong, 400, "phone_code_invalid");
        assertEquals(4, wrong.json().getInteger("attemptsLeft"), "what is not a code costs no attempt");
    }

    @Test
    void systemsAndAppsHaveNoPhoneHereAndAnonymousCallersAreAskedToLogIn() {
        Person system = hub.people().integrator("Labo SMS", "documents:write");
        for (Response refused : new Response[] {system.http().get("/api/v1/me/phone"),
                system.http().put("/api/v1/me/phone", new JsonObject().put("number", freshMobile())),
                system.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", "123456")),
                system.http().delete("/api/v1/me/phone"),
                system.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms"))}) {
            assertRefused(refused, 403, "forbidden");
        }
        assertEquals(401, hub.http().get("/api/v1/me/phone").status());
        Person doctor = hub.people().professional("Dr Sms", "physician");
        Response own = doctor.http().get("/api/v1/me/phone");
        assertEquals(200, own.status(), "a professional has a number of their own: " + own.body());
    }

    @Test
    void anExpiredVerificationCodeIsRefusedAndANewOneWorks() {
        String number = freshMobile();
        Person carol = hub.people().patient("Carol Sms");
        assertEquals(200, carol.http().put("/api/v1/me/phone", new JsonObject().put("number", number)).status());
        String first = codeIn(hub.smsc().awaitText(number, Duration.ofSeconds(20)));
        hub.clock().advance(Duration.ofMinutes(6));
        try {
            assertRefused(carol.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", first)), 400, "phone_code_expired");
        } finally {
            hub.clock().advance(Duration.ofMinutes(-6));
        }
        assertEquals(200, carol.http().put("/api/v1/me/phone", new JsonObject().put("number", number)).status());
        String second = Eventually.await("a second code", Duration.ofSeconds(20), () -> hub.smsc().to(number),
                list -> list.size() == 2).get(1).text();
        Response verified = carol.http().post("/api/v1/me/phone/verify", new JsonObject().put("code", codeIn(second)));
        assertEquals(200, verified.status(), verified.body());
    }

    @Test
    void codesAreLimitedPerAccountAndTextsPerNumberWhateverTheAccounts() {
        Instant now = hub.clock().instant();
        hub.clock().advance(Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(61))));
        String number = freshMobile();
        Person dan = hub.people().patient("Dan Sms");
        for (int i = 1; i <= 5; i++) {
            Response sent = dan.http().put("/api/v1/me/phone", new JsonObject().put("number", number));
            assertEquals(200, sent.status(), sent.body());
            int expected = i;
            Eventually.await("SMS #" + i, Duration.ofSeconds(20), () -> hub.smsc().to(number), list -> list.size() == expected);
        }
        Response sixth = dan.http().put("/api/v1/me/phone", new JsonObject().put("number", number));
        assertRefused(sixth, 429, "too_many_codes");
        assertNotNull(sixth.header("Retry-After"));

        Person eve = hub.people().patient("Eve Sms");
        assertEquals(200, eve.http().put("/api/v1/me/phone", new JsonObject().put("number", number)).status(),
                "another account may ask, but the number has had its five texts this hour");
        Eventually.await("the sixth text to the number held, then dropped as it expires before the next hour",
                Duration.ofSeconds(20), () -> hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'sms' AND address = ? "
                        + "AND status = 'skipped' AND last_error = 'rate limited until it expired'", number), n -> n == 1);
        assertEquals(5, hub.smsc().to(number).size());

        Response verified = dan.http().post("/api/v1/me/phone/verify", new JsonObject().put("code",
                codeIn(hub.smsc().to(number).get(4).text())));
        assertEquals(200, verified.status(), "the latest code proves the number: " + verified.body());
        assertEquals(200, dan.http().put("/api/v1/me/login-code", new JsonObject().put("by", "sms")).status());
        Response login = hub.http().postJson("/api/v1/auth/login", new JsonObject().put("email", dan.email())
                .put("password", People.PASSWORD));
        assertEquals("sms", login.json().getString("delivery"));
        String code = Eventually.await("the login code, which verification codes asked by strangers cannot hold back",
                Duration.ofSeconds(20), () -> hub.smsc().to(number), list -> list.size() == 6).get(5).text();
        assertEquals(200, hub.http().postJson("/api/v1/auth/login/verify", new JsonObject()
                .put("challengeId", login.json().getString("challengeId")).put("code", codeIn(code))).status());
    }

    @Test
    void anSmsTheCentreRefusesForGoodIsADeadLetterAndAnOutageIsWaitedOut() {
        String refusedNumber = freshMobile();
        hub.smsc().refuse(refusedNumber, 0x0B); // ESME_RINVDSTADR
        Person fay = hub.people().patient("Fay Sms");
        assertEquals(200, fay.http().put("/api/v1/me/phone", new JsonObject().put("number", refusedNumber)).status());
        Eventually.await("the refused SMS dead at once", Duration.ofSeconds(20), () -> hub.sql().count(
                "SELECT count(*) FROM outbox WHERE channel = 'sms' AND address = ? AND status = 'dead' AND attempts = 1",
                refusedNumber), n -> n == 1);

        String number = freshMobile();
        hub.smsc().refuseAll(0x58); // ESME_RTHROTTLED
        try {
            Person gus = hub.people().patient("Gus Sms");
            assertEquals(200, gus.http().put("/api/v1/me/phone", new JsonObject().put("number", number)).status());
            Eventually.await("a throttled SMS waiting for its retry", Duration.ofSeconds(20), () -> hub.sql().count(
                    "SELECT count(*) FROM outbox WHERE channel = 'sms' AND address = ? AND status = 'pending' AND attempts = 1",
                    number), n -> n == 1);
        } finally {
            hub.smsc().refuseAll(null);
        }
        hub.clock().advance(Duration.ofSeconds(3)); // past the retry's wait (the hub's clock stands still in tests)
        try {
            hub.hub().dispatcher(fr.relais.outbox.Channel.SMS).runOnce().await();
            Eventually.await("the SMS sent by its retry once the centre takes messages again", Duration.ofSeconds(20),
                    () -> hub.sql().count("SELECT count(*) FROM outbox WHERE channel = 'sms' AND address = ? AND status = 'sent' "
                            + "AND attempts = 2", number), n -> n == 1);
            assertEquals(1, hub.smsc().to(number).size());
        } finally {
            hub.clock().advance(Duration.ofSeconds(-3));
        }
    }

    private static void assertRefused(Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertEquals(code, response.json().getString("code"), response.body());
    }
}
