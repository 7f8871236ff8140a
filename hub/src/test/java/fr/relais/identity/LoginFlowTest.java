package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@ClockSensitive
class LoginFlowTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("auth.rateLimit.perAddressAndAccount", "6");

    @Test
    void passwordThenEmailedCodeGivesTokensThatIdentifyThePerson() {
        Person alice = hub.people().patient("Alice Martin");
        Response me = alice.http().get("/api/v1/me");
        assertEquals(200, me.status(), me.body());
        assertEquals("patient", me.json().getString("kind"));
        assertEquals(alice.email(), me.json().getString("email"));
        assertNotNull(alice.refreshToken());

        MimeMessage codeEmail = Arrays.stream(hub.mail().getReceivedMessagesForDomain(alice.email()))
                .filter(m -> GreenMailUtil.getBody(m).contains("code de connexion")).findFirst().orElseThrow();
        String body = GreenMailUtil.getBody(codeEmail);
        assertFalse(body.contains("Alice"), "the code email carries nothing but the code");
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        Person bob = hub.people().patient("Bob");
        Response wrongPassword = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", bob.email()).put("password", "not the password at all"));
        Response unknown = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", "nobody@example.fr").put("password", "not the password at all"));
        assertEquals(401, wrongPassword.status());
        assertEquals(401, unknown.status());
        assertEquals(wrongPassword.json().getString("code"), unknown.json().getString("code"));
        assertEquals("invalid_credentials", unknown.json().getString("code"));
        assertEquals(wrongPassword.json().getString("detail"), unknown.json().getString("detail"));
    }

    @Test
    void aCodeWorksOnceOnly() {
        Person carol = hub.people().patient("Carol");
        String challenge = hub.people().startLogin(carol.email(), People.PASSWORD);
        String code = hub.people().awaitCode(carol.email());
        JsonObject answer = new JsonObject().put("challengeId", challenge).put("code", code);
        assertEquals(200, hub.http().postJson("/api/v1/auth/login/verify", answer).status());
        Response again = hub.http().postJson("/api/v1/auth/login/verify", answer);
        assertEquals(401, again.status());
        assertEquals("otp_used", again.json().getString("code"));
    }

    @Test
    void fiveWrongCodesKillTheAttemptEvenForTheRightCode() {
        Person dan = hub.people().patient("Dan");
        String challenge = hub.people().startLogin(dan.email(), People.PASSWORD);
        String code = hub.people().awaitCode(dan.email());
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int attempt = 1; attempt <= 5; attempt++) {
            Response refused = hub.http().postJson("/api/v1/auth/login/verify",
                    new JsonObject().put("challengeId", challenge).put("code", wrong));
            assertEquals(401, refused.status());
            assertEquals(attempt < 5 ? "otp_invalid" : "otp_locked", refused.json().getString("code"));
        }
        Response right = hub.http().postJson("/api/v1/auth/login/verify",
                new JsonObject().put("challengeId", challenge).put("code", code));
        assertEquals(401, right.status());
        assertEquals("otp_locked", right.json().getString("code"));
    }

    @Test
    void aCodeExpiresAfterItsLifetime() {
        Person erin = hub.people().patient("Erin");
        String challenge = hub.people().startLogin(erin.email(), People.PASSWORD);
        String code = hub.people().awaitCode(erin.email());
        hub.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
        Response late = hub.http().postJson("/api/v1/auth/login/verify",
                new JsonObject().put("challengeId", challenge).put("code", code));
        assertEquals(401, late.status());
        assertEquals("otp_expired", late.json().getString("code"));
    }

    @Test
    void tooManyFailuresOnOneAccountFromOneAddressAreRateLimited() {
        Person frank = hub.people().patient("Frank");
        Response last = null;
        for (int i = 0; i < 7; i++) {
            last = hub.http().postJson("/api/v1/auth/login",
                    new JsonObject().put("email", frank.email()).put("password", "wrong password " + i));
        }
        assertEquals(429, last.status(), last.body());
        assertEquals("rate_limited", last.json().getString("code"));
        assertTrue(Integer.parseInt(last.header("Retry-After")) > 0);
    }

    @Test
    void logoutEndsTheSession() {
        Person gina = hub.people().patient("Gina");
        assertEquals(204, gina.http().post("/api/v1/auth/logout", new JsonObject()).status());
        Response after = gina.http().get("/api/v1/me");
        assertEquals(401, after.status());
        assertEquals("session_revoked", after.json().getString("code"));
    }

    @Test
    void refreshRotatesAndAReusedRefreshTokenEndsTheFamily() {
        Person hugo = hub.people().patient("Hugo");
        Response first = hub.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", hugo.refreshToken()));
        assertEquals(200, first.status(), first.body());
        String next = first.json().getString("refreshToken");
        String newAccess = first.json().getString("accessToken");
        assertFalse(next.equals(hugo.refreshToken()));

        Response reuse = hub.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", hugo.refreshToken()));
        assertEquals(401, reuse.status());
        assertEquals("refresh_reused", reuse.json().getString("code"));

        Response withNext = hub.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", next));
        assertEquals(401, withNext.status(), "the whole family is revoked");
        Response me = hub.http().send("GET", "/api/v1/me", java.util.Map.of("Authorization", "Bearer " + newAccess));
        assertEquals(401, me.status());
        fr.relais.testing.Eventually.await("the reuse audited", Duration.ofSeconds(10),
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE action = 'token.refresh_reuse'"), count -> count == 1);
    }

    @Test
    void malformedRequestsAreRefusedWithTheFieldNamed() {
        Response noJson = hub.http().send("POST", "/api/v1/auth/login", java.util.Map.of(), "application/json", "{nope");
        assertEquals(400, noJson.status());
        assertEquals("invalid_json", noJson.json().getString("code"));
        Response missing = hub.http().postJson("/api/v1/auth/login", new JsonObject().put("email", "a@b.fr"));
        assertEquals(400, missing.status());
        assertEquals("password", missing.json().getString("field"));
        Response wrongType = hub.http().send("POST", "/api/v1/auth/login", java.util.Map.of(), "text/plain", "hello");
        assertEquals(415, wrongType.status());
    }
}
