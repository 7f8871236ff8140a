package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Behind a load balancer, per-address limits apply to the client's address that a trusted proxy forwarded. */
class TrustedProxyTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("http.trustedProxies", "127.0.0.1,::1/128")
            .with("auth.rateLimit.perAddress", "3");

    @Test
    void eachForwardedClientHasItsOwnLimitAndAClientCannotForgeItsAddress() {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, loginFrom("203.0.113.7").status());
        }
        Response limited = loginFrom("203.0.113.7");
        assertEquals(429, limited.status(), limited.body());
        assertEquals("rate_limited", limited.json().getString("code"));

        assertEquals(401, loginFrom("203.0.113.8").status(), "another client behind the same proxy is not limited");
        assertEquals(429, loginFrom("198.51.100.99, 203.0.113.7").status(),
                "what the client itself put first in X-Forwarded-For is not believed");
    }

    @Test
    void onlyTrustedPeersAreBelievedAndRangesMatchByPrefix() {
        ClientAddress behindLan = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"));
        assertEquals("198.51.100.1", behindLan.resolve("198.51.100.1", List.of("203.0.113.9")), "a direct client");
        assertEquals("203.0.113.9", behindLan.resolve("10.1.2.3", List.of("203.0.113.9")));
        assertEquals("203.0.113.9", behindLan.resolve("10.1.2.3", List.of("203.0.113.9, 10.9.9.9")), "two proxies");
        assertEquals("2001:db8::1", behindLan.resolve("fd12::1", List.of("2001:db8::1")));
        assertEquals("10.1.2.3", behindLan.resolve("10.1.2.3", List.of()), "no header: the proxy itself");
        assertEquals("11.1.2.3", new ClientAddress(List.of()).resolve("11.1.2.3", List.of("203.0.113.9")), "none trusted");
    }

    private static Response loginFrom(String forwardedFor) {
        String body = new JsonObject().put("email", UUID.randomUUID() + "@example.org").put("password", "wrong").encode();
        return hub.http().send("POST", "/api/v1/auth/login", Map.of("X-Forwarded-For", forwardedFor), "application/json", body);
    }
}
