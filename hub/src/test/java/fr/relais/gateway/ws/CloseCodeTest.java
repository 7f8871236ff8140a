package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.embedded.EmbeddedPostgres;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.RawWebSocket;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The close codes that need a raw client to be seen: each is read from the close frame itself, with the error frame
 * the hub sends before it, and the connection must end after the close frame, not with a reset. The hub runs on an
 * embedded server of its own, which one test stops.
 */
@ClockSensitive
class CloseCodeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.url", "")
            .with("db.embedded.dir", "target/close-code-postgres-" + UUID.randomUUID())
            .with("ws.idleTimeout", "3s")
            .with("ws.heartbeatInterval", "1s")
            .with("ws.maxMessagesPerSecond", "20")
            .with("auth.accessTokenLifetime", "10m")
            .with("auth.clockSkew", SKEW.getSeconds() + "s");

    @Test
    void aClientThatAnswersNoPingIsClosedWith4011() throws Exception {
        Person p = hub.people().patient("Silent");
        try (RawWebSocket silent = RawWebSocket.connect(hub.port(), p.accessToken())) {
            assertEquals("authenticated", type(silent.readText()));
            silent.ignorePings();
            RawWebSocket.Ending ending = silent.awaitClose();
            assertEquals(CloseCodes.IDLE, ending.code(), "texts before: " + ending.textsBefore());
            assertEquals(List.of(), ending.textsBefore(), "no error frame before 4011");
            assertEquals("end of stream", ending.afterClose());
        }
        // one that answers the hub's pings outlives ws.idleTimeout several times over
        try (RawWebSocket answering = RawWebSocket.connect(hub.port(), p.accessToken())) {
            assertEquals("authenticated", type(answering.readText()));
            answering.awaitPings(3);
            answering.sendText("{\"type\":\"ping\"}");
            assertEquals("pong", type(answering.readText()));
        }
    }

    @Test
    void aSocketWhoseHistoryCannotBeReadIsClosedWith1011() throws Exception {
        Person p = hub.people().patient("Outage");
        hub.hub().streams().append(p.id(), "message.created", new JsonObject()).await();
        String epoch = hub.hub().streams().position(p.id()).await().epoch();
        EmbeddedPostgres database = hub.hub().embeddedDatabase().orElseThrow();
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            assertEquals("authenticated", type(socket.readText()));
            database.stop();
            try {
                socket.sendText(new JsonObject().put("type", "subscribe")
                        .put("cursor", new JsonObject().put("epoch", epoch).put("offset", 0)).encode());
                RawWebSocket.Ending ending = socket.awaitClose();
                assertEquals(1011, ending.code(), "texts before: " + ending.textsBefore());
                assertEquals("unavailable", new JsonObject(last(ending.textsBefore())).getString("code"));
                assertEquals("end of stream", ending.afterClose());
            } finally {
                database.restart();
            }
        }
        Eventually.await("the database to be back", DEADLINE, () -> hub.http().get("/health/ready").status(), s -> s == 200);
    }

    @Test
    void aSocketIsClosedForExpiryOnlyOnceTheClockSkewHasPassed() throws Exception {
        Person p = hub.people().patient("Skewed");
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            assertEquals("authenticated", type(socket.readText()));
            Duration justBefore = Duration.ofMinutes(10).plus(SKEW).minusSeconds(1);
            hub.clock().advance(justBefore);
            try {
                // each heartbeat comes from a sweep that checked the expiry first: two of them prove one whole sweep
                int pings = socket.pingsSeen();
                socket.sendText("{\"type\":\"ping\"}");
                assertEquals("pong", type(socket.readText()), "open one second before exp + auth.clockSkew");
                socket.awaitPings(pings + 2);
                socket.sendText("{\"type\":\"ping\"}");
                assertEquals("pong", type(socket.readText()), "still open after a sweep, within the skew");

                hub.clock().advance(Duration.ofSeconds(2));
                RawWebSocket.Ending ending = socket.awaitClose();
                assertEquals(CloseCodes.TOKEN_EXPIRED, ending.code(), "texts before: " + ending.textsBefore());
                assertEquals("token_expired", new JsonObject(last(ending.textsBefore())).getString("code"));
            } finally {
                hub.clock().advance(justBefore.plusSeconds(2).negated());
            }
        }
    }

    @Test
    void aFloodingClientReadsThe4008CloseFrameNotAReset() {
        Person p = hub.people().patient("Flood");
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 50_000; i++) {
                flood.writeBytes(RawWebSocket.frame(RawWebSocket.TEXT, ping, true));
            }
            socket.write(flood.toByteArray()); // ~1 MB at once: the hub cuts the socket while most of it is in flight
            RawWebSocket.Ending ending = socket.awaitClose();
            assertEquals(CloseCodes.RATE_LIMITED, ending.code(), "texts before: " + ending.textsBefore());
            assertEquals("rate_limited", new JsonObject(last(ending.textsBefore())).getString("code"));
            assertEquals("end of stream", ending.afterClose());
        }
    }

    @Test
    void anUnmaskedFrameClosesWith1002AndTextThatIsNotUtf8With1007() {
        Person p = hub.people().patient("Malformed");
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            socket.write(RawWebSocket.frame(RawWebSocket.TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false));
            RawWebSocket.Ending ending = socket.awaitClose();
            assertEquals(1002, ending.code(), "texts before: " + ending.textsBefore());
        }
        try (RawWebSocket socket = RawWebSocket.connect(hub.port(), p.accessToken())) {
            byte[] notUtf8 = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            socket.write(RawWebSocket.frame(RawWebSocket.TEXT, notUtf8, true));
            RawWebSocket.Ending ending = socket.awaitClose();
            assertEquals(1007, ending.code(), "texts before: " + ending.textsBefore());
            assertTrue(ending.textsBefore().stream().noneMatch(t -> t.contains("unknown_type")),
                    "the frame was refused, not decoded with replacement characters: " + ending.textsBefore());
        }
    }

    private static String type(String frame) {
        return new JsonObject(frame).getString("type");
    }

    private static String last(List<String> texts) {
        assertTrue(!texts.isEmpty(), "an error frame before the close frame");
        return texts.get(texts.size() - 1);
    }
}
