package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every documented error and close code of the WebSocket protocol, and authentication in its forms. */
@ClockSensitive
class SocketProtocolTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("ws.authTimeout", "500ms")
            .with("ws.maxFrameSize", "4KiB")
            .with("ws.maxMessagesPerSecond", "20")
            .with("ws.maxConnectionsPerPrincipal", "3");

    @Test
    void browsersAuthenticateWithAFirstFrame() {
        Person p = hub.people().patient("Browser");
        try (WsTestClient socket = WsTestClient.connect(hub.port(), null)) {
            socket.send(new JsonObject().put("type", "auth").put("token", p.accessToken()));
            JsonObject ok = socket.awaitType("authenticated");
            assertEquals(p.id().toString(), ok.getString("id"));
            socket.send(new JsonObject().put("type", "subscribe"));
            socket.awaitType("subscribed");
        }
    }

    @Test
    void noCredentialsInTimeBadTokensAndFramesBeforeAuthCloseWith4001() {
        try (WsTestClient silent = WsTestClient.connect(hub.port(), null)) {
            assertEquals(CloseCodes.UNAUTHENTICATED, silent.awaitClose());
        }
        try (WsTestClient forged = WsTestClient.connect(hub.port(), null)) {
            // a forged token in the header is refused before the upgrade (HandshakeTest); in a first frame, with 4001
            forged.send(new JsonObject().put("type", "auth").put("token", "not-a-token"));
            assertEquals("token_invalid", forged.awaitType("error").getString("code"));
            assertEquals(CloseCodes.UNAUTHENTICATED, forged.awaitClose());
        }
        try (WsTestClient early = WsTestClient.connect(hub.port(), null)) {
            early.send(new JsonObject().put("type", "subscribe"));
            assertEquals("unauthenticated", early.awaitType("error").getString("code"));
            assertEquals(CloseCodes.UNAUTHENTICATED, early.awaitClose());
        }
    }

    @Test
    void malformedAndUnknownFramesGetErrorsAndTheSocketStays() {
        Person p = hub.people().patient("Sloppy");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.send("{not json");
            assertEquals("invalid_json", socket.awaitType("error").getString("code"));
            socket.send(new JsonObject().put("type", "dance"));
            assertEquals("unknown_type", socket.awaitType("error").getString("code"));
            socket.send(new JsonObject().put("type", "subscribe"));
            assertEquals("already_subscribed", socket.awaitType("error").getString("code"));
            socket.send(new JsonObject().put("type", "ping"));
            socket.awaitType("pong");
        }
    }

    @Test
    void anOversizedFrameClosesWith1009AndBinaryWith4000() {
        Person p = hub.people().patient("Verbose");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.send(new JsonObject().put("type", "ping").put("padding", "x".repeat(8 * 1024)));
            assertEquals(CloseCodes.TOO_BIG, socket.awaitClose());
        }
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.sendBinary(new byte[] {1, 2, 3});
            assertEquals(CloseCodes.PROTOCOL_ERROR, socket.awaitClose());
        }
    }

    @Test
    void pingsAreAnsweredAndTheClientsCloseIsEchoed() {
        Person p = hub.people().patient("Polite");
        double connectionsBefore = gauge("vertx_http_server_active_connections");
        double requestsBefore = gauge("vertx_http_server_active_requests"); // the scrape itself is one
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            assertEquals("are you there", socket.ping("are you there"));
            assertEquals(CloseCodes.NORMAL, socket.closeWith(CloseCodes.NORMAL));
        }
        Eventually.await("the socket to leave the open count", Duration.ofSeconds(10),
                () -> hub.http().get("/metrics").body(), metrics -> metrics.contains("relais_ws_connections 0.0"));
        // Vert.x's HTTP metrics see the upgraded connection end too, and the upgrade request answered
        assertEquals(connectionsBefore, gauge("vertx_http_server_active_connections"));
        assertEquals(requestsBefore, gauge("vertx_http_server_active_requests"));
        assertTrue(hub.http().get("/metrics").body().contains("code=\"101\""), "the upgrade is counted as a 101");
    }

    /** The sum of a gauge's series in /metrics. */
    private static double gauge(String name) {
        return hub.http().get("/metrics").body().lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aRequestThatIsNotAWebSocketUpgradeGetsAProblem() throws Exception {
        var plain = hub.http().get("/api/v1/ws");
        assertEquals(400, plain.status());
        assertEquals("websocket_handshake", plain.json().getString("code"));
        // java.net.http will not send Upgrade or Connection headers: these are written by hand
        String noKey = exchange("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(noKey.startsWith("HTTP/1.1 400 ") && noKey.contains("\"code\":\"websocket_handshake\""), noKey);
        String oldVersion = exchange("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
        assertTrue(oldVersion.startsWith("HTTP/1.1 426 "), oldVersion);
        assertTrue(oldVersion.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-version: 13\r\n"), oldVersion);
        assertTrue(oldVersion.contains("\"code\":\"websocket_version\""), oldVersion);
    }

    @Test
    void anOfferOfCompressionIsDeclined() throws Exception {
        // browsers offer permessage-deflate; the hub negotiates no extension, so frames stay uncompressed
        String answer = exchange("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 101 "), answer);
        assertTrue(!answer.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"), answer);
    }

    /** Writes a raw HTTP/1.1 request and reads the answer's head and body (by its Content-Length). */
    private static String exchange(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", hub.port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("\r\n\r\n")) {
                answer.append((char) in.read());
            }
            var length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(answer);
            int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return answer + new String(in.readNBytes(bodyLength), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void tooManyFramesPerSecondCloseWith4008() {
        Person p = hub.people().patient("Chatty");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            for (int i = 0; i < 40; i++) {
                socket.send(new JsonObject().put("type", "ping"));
            }
            assertEquals(CloseCodes.RATE_LIMITED, socket.awaitClose());
        }
    }

    @Test
    void tooManySocketsForOnePersonAreRefusedWith4006() {
        Person p = hub.people().patient("Many devices");
        try (WsTestClient a = WsTestClient.subscribed(hub.port(), p.accessToken(), null);
             WsTestClient b = WsTestClient.subscribed(hub.port(), p.accessToken(), null);
             WsTestClient c = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            a.awaitType("subscribed");
            b.awaitType("subscribed");
            c.awaitType("subscribed");
            try (WsTestClient d = WsTestClient.connect(hub.port(), p.accessToken())) {
                assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, d.awaitClose());
            }
        }
        try (WsTestClient again = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            again.awaitType("subscribed"); // places are given back when sockets close
        }
    }

    @Test
    void logoutAndClosingTheSpaceDropTheirSocketsWith4003() {
        Person p = hub.people().patient("Leaving");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            assertEquals(204, p.http().post("/api/v1/auth/logout", new JsonObject()).status());
            assertEquals(CloseCodes.SESSION_REVOKED, socket.awaitClose());
        }
        Person q = hub.people().patient("Closing");
        Person qOtherDevice = hub.people().logIn(q.email(), fr.relais.testing.People.PASSWORD);
        try (WsTestClient one = WsTestClient.subscribed(hub.port(), q.accessToken(), null);
             WsTestClient two = WsTestClient.subscribed(hub.port(), qOtherDevice.accessToken(), null)) {
            one.awaitType("subscribed");
            two.awaitType("subscribed");
            assertEquals(204, q.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());
            assertEquals(CloseCodes.SESSION_REVOKED, one.awaitClose());
            assertEquals(CloseCodes.SESSION_REVOKED, two.awaitClose());
        }
        assertEquals(0, hub.sql().count("SELECT count(*) FROM stream WHERE recipient_id = ?", q.id()));
    }

    @Test
    void anExpiringTokenIsRefreshedInBandOrTheSocketClosesWith4002() {
        Person p = hub.people().patient("Refresher");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            var refreshed = hub.http().postJson("/api/v1/auth/refresh", new JsonObject().put("refreshToken", p.refreshToken())).json();
            socket.send(new JsonObject().put("type", "refresh").put("token", refreshed.getString("accessToken")));
            socket.awaitType("refreshed");
            Person other = hub.people().patient("Someone else");
            socket.send(new JsonObject().put("type", "refresh").put("token", other.accessToken()));
            assertEquals("principal_mismatch", socket.awaitType("error").getString("code"));
        }
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            hub.clock().advance(Duration.ofMinutes(11));
            try {
                assertEquals("token_expired", socket.awaitType("error").getString("code"));
                assertEquals(CloseCodes.TOKEN_EXPIRED, socket.awaitClose());
            } finally {
                hub.clock().advance(Duration.ofMinutes(-11));
            }
        }
    }

    @Test
    void commandsAnswerWithTheirIdAndIntegratorsNeedTheScope() {
        Person p = hub.people().patient("Commander");
        hub.hub().streams().append(p.id(), "message.created", new JsonObject()).await();
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.send(new JsonObject().put("type", "command").put("id", "c1").put("op", "stream.position"));
            JsonObject result = socket.awaitType("result");
            assertEquals("c1", result.getString("id"));
            assertEquals(1, result.getJsonObject("result").getLong("head"));
            socket.send(new JsonObject().put("type", "command").put("id", "c2").put("op", "nothing.here"));
            JsonObject error = socket.awaitType("error");
            assertEquals("c2", error.getString("id"));
            assertEquals("unknown_operation", error.getString("code"));
            socket.send(new JsonObject().put("type", "command").put("op", "stream.position"));
            assertEquals("invalid_command", socket.awaitType("error").getString("code"));
        }
        Person admin = hub.people().admin("Ops");
        JsonObject client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Système de labo")
                .put("organisationId", hub.people().organisation("laboratory", "Labo"))
                .put("scopes", new JsonArray().add("documents:write"))).json();
        String token = hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + client.getString("clientId") + "&client_secret="
                        + client.getString("clientSecret")).json().getString("access_token");
        try (WsTestClient integrator = WsTestClient.connect(hub.port(), token)) {
            integrator.awaitType("authenticated"); // without stream:read it may not subscribe either (SocketInputTest)
            integrator.send(new JsonObject().put("type", "command").put("id", "i1").put("op", "stream.position"));
            assertEquals("insufficient_scope", integrator.awaitType("error").getString("code"));
        }
    }

    @Test
    void anIntegratorsQuerySentTwiceWithOneKeyRunsTwiceAndIsNotKept() {
        Person admin = hub.people().admin("Ops Clés");
        JsonObject client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Système rejoué")
                .put("organisationId", hub.people().organisation("laboratory", "Labo rejoué"))
                .put("scopes", new JsonArray().add("stream:read"))).json();
        String token = hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + client.getString("clientId") + "&client_secret="
                        + client.getString("clientSecret")).json().getString("access_token");
        try (WsTestClient integrator = WsTestClient.subscribed(hub.port(), token, null)) {
            integrator.awaitType("subscribed");
            for (String id : new String[] {"k1", "k2"}) {
                integrator.send(new JsonObject().put("type", "command").put("id", id).put("op", "stream.position")
                        .put("idempotencyKey", "integrator-key"));
                JsonObject answer = integrator.awaitFrame(id, frame -> id.equals(frame.getString("id")));
                assertEquals("result", answer.getString("type"), answer.encode());
            }
        }
        assertEquals(0, hub.sql().count("SELECT count(*) FROM idempotency_key WHERE key = 'integrator-key'"),
                "a query runs again, access checks included, instead of being answered from the store");
    }

    @Test
    void theFirstAccessOfAProfessionalIsNotifiedToThePatientLive() {
        Person patient = hub.people().patient("Watched");
        Person doctor = hub.people().professional("Dr Reader", "physician");
        String rpps = doctor.http().get("/api/v1/me").json().getString("rpps");
        patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps));
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), patient.accessToken(), null)) {
            socket.awaitType("subscribed");
            doctor.http().get("/api/v1/patients/" + patient.id());
            doctor.http().get("/api/v1/patients/" + patient.id());
            JsonObject event = socket.awaitType("record.accessed");
            assertEquals("Dr Reader", event.getJsonObject("data").getString("actorName"));
            assertTrue(event.getJsonObject("data").getBoolean("firstAccess"));
            socket.send(new JsonObject().put("type", "ping"));
            socket.awaitType("pong");
            assertEquals(1, socket.events().size(), "only the first access is notified");
        }
    }
}
