package fr.relais.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.Answered;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool exhausted by slow queries: every connection of the hub waits on a row lock that the test holds from a
 * connection of its own. Other requests get {@code 503 database_unavailable} once {@code db.acquireTimeout} has
 * passed instead of queueing without end, and all is served again when the lock is released.
 */
class PoolExhaustionTest {
    private static final int POOL_SIZE = 2;
    /** {@code db.acquireTimeout} below, with room for a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(8);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.poolSize", String.valueOf(POOL_SIZE))
            .with("db.acquireTimeout", "3s")
            .with("db.queryTimeout", "60s"); // the slow queries here are slow, not hung: they must not be cut

    @Test
    void whileSlowQueriesHoldEveryConnectionOtherRequestsGet503WithinTheBoundAndAllIsServedAfterwards() throws Exception {
        Person patient = hub.people().patient("Lucette");
        Person doctor = hub.people().professional("Dr Lenteur", "physician");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message"))).json().getString("conversationId");
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        ExecutorService senders = Executors.newFixedThreadPool(POOL_SIZE);

        try (WsTestClient socket = hub.people().live(patient)) {
            List<CompletableFuture<Response>> slow;
            try (Connection lock = lockConversation(hub.hub().database(), conversation)) {
                slow = IntStream.rangeClosed(1, POOL_SIZE).mapToObj(n -> CompletableFuture.supplyAsync(() ->
                        doctor.http().post(messages, new JsonObject().put("body", "Lent " + n)), senders)).toList();
                Eventually.await("every connection of the hub to wait on the lock", DEADLINE, () -> hub.sql().count("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock'"""), n -> n == POOL_SIZE);

                Response read = Answered.within(BOUND, "a read", () -> patient.http().get("/api/v1/patients/" + patient.id() + "/documents"));
                assertEquals(503, read.status(), read.body());
                assertEquals("database_unavailable", read.json().getString("code"), read.body());
                assertEquals("2", read.header("Retry-After"));

                socket.send(new JsonObject().put("type", "command").put("id", "c1").put("op", "message.send")
                        .put("args", new JsonObject().put("conversationId", conversation).put("body", "par la socket")));
                JsonObject commandError = Answered.within(BOUND, "a socket command", () ->
                        socket.awaitFrame("the command's error", f -> "c1".equals(f.getString("id"))));
                assertEquals("database_unavailable", commandError.getString("code"), commandError.encode());

                Response ready = Answered.within(BOUND, "readiness", () -> hub.http().get("/health/ready"));
                assertEquals(503, ready.status(), "a node that cannot get a connection is not ready: " + ready.body());

                socket.send(new JsonObject().put("type", "ping"));
                socket.awaitType("pong");
                assertFalse(socket.isClosed());
                assertFalse(slow.stream().anyMatch(CompletableFuture::isDone), "the slow writes still wait on the lock");
                lock.rollback();
            }

            for (CompletableFuture<Response> write : slow) {
                Response done = write.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(201, done.status(), "a slow write is not cut, it finishes once the lock is released: " + done.body());
            }
            Response after = Answered.within(BOUND, "a write after the release", () ->
                    doctor.http().post(messages, new JsonObject().put("body", "Après")));
            assertEquals(201, after.status(), after.body());
            assertEquals(200, hub.http().get("/health/ready").status());
            assertFalse(socket.isClosed());
        } finally {
            senders.shutdownNow();
        }

        List<String> bodies = patient.http().get(messages).json().getJsonArray("items").stream()
                .map(item -> ((JsonObject) item).getString("body")).sorted().toList();
        assertEquals(List.of("Après", "Lent 1", "Lent 2", "Premier message"), bodies,
                "the slow writes and the later one; nothing of the refused socket command");
    }

    /** A transaction of the test's own that holds the row lock of the patient's stream, which every write to them needs. */
    /** Holds the conversation's row: every message written to it waits on the lock (streams are not locked by writers). */
    private static Connection lockConversation(DatabaseEndpoint database, String conversation) throws SQLException {
        Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.jdbcProperties());
        connection.setAutoCommit(false);
        try (var select = connection.prepareStatement("SELECT message_count FROM conversation WHERE id = ? FOR UPDATE")) {
            select.setObject(1, java.util.UUID.fromString(conversation));
            assertTrue(select.executeQuery().next(), "the conversation exists");
        }
        return connection;
    }
}
