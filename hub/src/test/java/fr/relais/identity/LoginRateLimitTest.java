package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.identity.account.Provisioning;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failed logins are counted per (address, account) pair: an attacker is stopped where they attack from, and cannot lock
 * the owner out; failures from many addresses slow an account down without refusing its owner; successful logins and
 * token requests use up no budget. Clients' addresses come from X-Forwarded-For through a trusted proxy.
 */
class LoginRateLimitTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("http.trustedProxies", "127.0.0.1,::1/128");

    @Test
    void anAttackerFailingFromOneAddressIsStoppedThereButTheOwnerLogsInFromAnother() {
        Person owner = hub.people().patient("Targeted");
        List<Integer> attacker = new ArrayList<>();
        Response lastRefusal = null;
        for (int i = 0; i < 12; i++) {
            lastRefusal = startLogin(owner.email(), "not the password", "203.0.113.7");
            attacker.add(lastRefusal.status());
        }

        assertEquals(200, logIn(owner.email(), "198.51.100.20").status(), "the owner, from elsewhere, is not locked out");
        assertEquals(List.of(401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 429, 429), attacker,
                "ten failures from one address for one account, then that pair is refused");
        assertEquals("rate_limited", lastRefusal.json().getString("code"));
        assertNotNull(lastRefusal.header("Retry-After"));
        assertTrue(Long.parseLong(lastRefusal.header("Retry-After")) > 0, lastRefusal.header("Retry-After"));
        assertEquals(429, startLogin(owner.email(), People.PASSWORD, "203.0.113.7").status(),
                "from the attacker's address even the right password waits for the window to end");
    }

    @Test
    void failuresFromManyAddressesSlowTheAccountDownButTheOwnerStillLogsIn() {
        Person owner = hub.people().patient("Sprayed");
        for (int i = 1; i <= 10; i++) {
            assertEquals(401, startLogin(owner.email(), "guess " + i, "198.51.100." + i).status());
        }
        long started = System.nanoTime();
        Response owners = logIn(owner.email(), "192.0.2.44");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(200, owners.status(), owners.body());
        assertTrue(tookMillis >= 1000, "after ten failures on the account its next attempt waits a second first: " + tookMillis);
    }

    @Test
    void anIntegratorRequestsTokensMoreThanTenTimesInAWindow() {
        Provisioning.CreatedClient client = integrator("Busy lab");
        for (int i = 0; i < 15; i++) {
            Response token = tokenRequest(client.clientId(), client.clientSecret(), "192.0.2.10");
            assertEquals(200, token.status(), "request " + (i + 1) + ": " + token.body());
        }
    }

    @Test
    void anIntegratorsWrongSecretsFromOneAddressAreStoppedThereOnly() {
        Provisioning.CreatedClient client = integrator("Targeted lab");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, tokenRequest(client.clientId(), "wrong", "203.0.113.99").status());
        }
        assertEquals(429, tokenRequest(client.clientId(), "wrong", "203.0.113.99").status());
        Response fromItsOwnServer = tokenRequest(client.clientId(), client.clientSecret(), "192.0.2.11");
        assertEquals(200, fromItsOwnServer.status(), fromItsOwnServer.body());
    }

    private static Provisioning.CreatedClient integrator(String name) {
        return hub.hub().identity().provisioning().addIntegrator("test", new JsonObject().put("name", name)
                .put("organisationId", hub.people().organisation("laboratory", name))
                .put("scopes", new JsonArray().add("documents:write"))).await();
    }

    /** Password then emailed code, both from {@code address}; the answer to the code. */
    private static Response logIn(String email, String address) {
        Response started = startLogin(email, People.PASSWORD, address);
        if (started.status() != 200) {
            return started;
        }
        String code = hub.people().awaitCode(email);
        return send("/api/v1/auth/login/verify", new JsonObject().put("challengeId", started.json().getString("challengeId"))
                .put("code", code), address);
    }

    private static Response startLogin(String email, String password, String address) {
        return send("/api/v1/auth/login", new JsonObject().put("email", email).put("password", password), address);
    }

    private static Response send(String path, JsonObject body, String address) {
        return hub.http().send("POST", path, Map.of("X-Forwarded-For", address), "application/json", body.encode());
    }

    private static Response tokenRequest(String clientId, String secret, String address) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return hub.http().send("POST", "/api/v1/oauth/token", Map.of("Authorization", "Basic " + basic, "X-Forwarded-For", address),
                "application/x-www-form-urlencoded", "grant_type=client_credentials");
    }
}
