package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.RawHttpClient;
import fr.relais.testing.RawWebSocket;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credentials at the handshake: a bearer token that is refused is answered {@code 401} problem+json before any
 * upgrade (WebSocket) or any event (SSE), with the same codes as the REST API; a valid one, or none at all (a
 * browser, which authenticates by its first frame), gets the upgrade.
 */
@ClockSensitive
class HandshakeTest {
    private static final Duration PAST_EXPIRY_AND_SKEW = Duration.ofMinutes(10).plusSeconds(30).plusMinutes(1);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("auth.accessTokenLifetime", "10m")
            .with("auth.clockSkew", "30s");

    @Test
    void aForgedTokenIsRefused401BeforeTheUpgrade() {
        assertRefusedBeforeUpgrade("not-a-token", "token_invalid");
        Person p = hub.people().patient("Forger");
        String tampered = p.accessToken().substring(0, p.accessToken().length() - 4) + "AAAA";
        assertRefusedBeforeUpgrade(tampered, "token_invalid");
    }

    @Test
    void anAuthorizationHeaderThatIsNoBearerTokenIsRefused401BeforeTheUpgrade() {
        for (String authorization : new String[] {"Basic dXNlcjpwYXNz", "Token abc", "Bearer ", "Bearer"}) {
            assertAuthorizationRefusedBeforeUpgrade(authorization, "unauthenticated");
        }
    }

    @Test
    void anExpiredTokenIsRefused401BeforeTheUpgrade() {
        Person p = hub.people().patient("Late");
        hub.clock().advance(PAST_EXPIRY_AND_SKEW);
        try {
            assertRefusedBeforeUpgrade(p.accessToken(), "token_expired");
        } finally {
            hub.clock().advance(PAST_EXPIRY_AND_SKEW.negated());
        }
    }

    @Test
    void aTokenOfAnEndedSessionIsRefused401BeforeTheUpgrade() {
        Person p = hub.people().patient("Logged out");
        assertEquals(204, p.http().post("/api/v1/auth/logout", new JsonObject()).status());
        assertRefusedBeforeUpgrade(p.accessToken(), "session_revoked");
    }

    @Test
    void aValidTokenIsUpgradedAndAuthenticatedAtOnce() throws Exception {
        Person p = hub.people().patient("Welcome");
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            JsonObject first = new JsonObject(socket.readText());
            assertEquals("authenticated", first.getString("type"), first.encode());
            assertEquals(p.id().toString(), first.getString("id"));
            socket.sendText(new JsonObject().put("type", "subscribe").encode());
            assertEquals("subscribed", new JsonObject(socket.readText()).getString("type"));
        }
    }

    @Test
    void withoutCredentialsTheUpgradeIsAnsweredAndTheFirstFrameAuthenticates() throws Exception {
        Person p = hub.people().patient("Browser");
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), null)) {
            socket.sendText(new JsonObject().put("type", "auth").put("token", p.accessToken()).encode());
            assertEquals("authenticated", new JsonObject(socket.readText()).getString("type"));
        }
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), null)) {
            socket.sendText(new JsonObject().put("type", "auth").put("token", "not-a-token").encode());
            RawWebSocket.Ending ending = socket.awaitClose();
            assertEquals(CloseCodes.UNAUTHENTICATED, ending.code());
            assertEquals("token_invalid", new JsonObject(ending.textsBefore().get(0)).getString("code"));
        }
    }

    @Test
    void theEventStreamRefusesABadTokenWith401BeforeAnyEvent() {
        Person p = hub.people().patient("Streamer");
        RawHttpClient raw = new RawHttpClient(hub.port());
        Response forged = raw.send("GET", "/api/v1/events", Map.of("Authorization", "Bearer not-a-token"), null);
        assertProblem(forged, "token_invalid");
        hub.clock().advance(PAST_EXPIRY_AND_SKEW);
        try {
            assertProblem(raw.send("GET", "/api/v1/events", Map.of("Authorization", "Bearer " + p.accessToken()), null),
                    "token_expired");
        } finally {
            hub.clock().advance(PAST_EXPIRY_AND_SKEW.negated());
        }
        Response open = raw.send("GET", "/api/v1/events", Map.of("Authorization", "Bearer " + p.accessToken()), null);
        assertEquals(200, open.status(), open.body());
        assertTrue(open.header("content-type").startsWith("text/event-stream"), open.headers().toString());
    }

    @Test
    void anEventIdWithANegativeOffsetIsRefused400BeforeTheStreamStarts() {
        Person p = hub.people().patient("Rewinder");
        RawHttpClient raw = new RawHttpClient(hub.port());
        for (String lastEventId : new String[] {"bCCNV-Dy8hwv:-1", "bCCNV-Dy8hwv:x", "42"}) {
            Response refused = raw.send("GET", "/api/v1/events",
                    Map.of("Authorization", "Bearer " + p.accessToken(), "Last-Event-ID", lastEventId), null);
            assertEquals(400, refused.status(), lastEventId + ": " + refused.body());
            assertEquals("invalid_field", refused.json().getString("code"), refused.body());
        }
    }

    private static void assertRefusedBeforeUpgrade(String token, String code) {
        assertAuthorizationRefusedBeforeUpgrade("Bearer " + token, code);
    }

    private static void assertAuthorizationRefusedBeforeUpgrade(String authorization, String code) {
        try (RawWebSocket socket = RawWebSocket.open(hub.port(), Map.of("Authorization", authorization))) {
            RawWebSocket.Handshake answer = socket.handshake();
            assertEquals(401, answer.status(), "the first status line, where a 101 would be: " + answer);
            assertEquals("application/problem+json", answer.header("content-type"), answer.toString());
            assertEquals(code, new JsonObject(answer.body()).getString("code"), answer.body());
            assertNull(answer.header("upgrade"), answer.toString());
            assertNull(answer.header("sec-websocket-accept"), answer.toString());
            assertTrue(answer.header("www-authenticate").startsWith("Bearer"), answer.toString());
        }
    }

    private static void assertProblem(Response response, String code) {
        assertEquals(401, response.status(), response.body());
        assertEquals("application/problem+json", response.header("content-type"), response.headers().toString());
        assertEquals(code, response.json().getString("code"), response.body());
    }
}
