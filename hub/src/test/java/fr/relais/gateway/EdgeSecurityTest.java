package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Browser-facing rules of the edge: CORS for the listed origins only. */
class EdgeSecurityTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("http.corsAllowedOrigins", "https://portail.sante.example");

    @Test
    void onlyListedOriginsMayCallTheApiFromABrowser() {
        Response allowed = hub.http().send("OPTIONS", "/api/v1/me", Map.of("Origin", "https://portail.sante.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
        assertEquals("https://portail.sante.example", allowed.header("Access-Control-Allow-Origin"));
        Response other = hub.http().send("GET", "/api/v1/me", Map.of("Origin", "https://evil.example"));
        assertNull(other.header("Access-Control-Allow-Origin"));
    }
}
