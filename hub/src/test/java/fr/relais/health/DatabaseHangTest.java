package fr.relais.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.Answered;
import fr.relais.testing.Eventually;
import fr.relais.testing.FrozenPostgres;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database that hangs rather than refuses: the hub's own embedded server frozen with SIGSTOP (its port still
 * accepts connections, nothing answers). Requests are answered 503 within the configured bounds instead of
 * hanging, sockets stay open, and everything works again once the server is thawed.
 */
class DatabaseHangTest {
    private static final byte[] PDF = "%PDF-1.7\n% ordonnance\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code db.acquireTimeout} + {@code db.queryTimeout} below, with room for a busy machine. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.url", "")
            .with("db.embedded.dir", "target/hang-postgres-" + UUID.randomUUID())
            .with("db.acquireTimeout", "2s")
            .with("db.queryTimeout", "3s");

    @Test
    void aFrozenServerIsAnswered503WithinTheBoundSocketsStayOpenAndEverythingRecoversWhenItIsThawed() {
        Person patient = hub.people().patient("Gisèle");
        Person doctor = hub.people().professional("Dr Figée", "physician");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message"))).json().getString("conversationId");
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        Map<String, String> withKey = Map.of("Authorization", "Bearer " + doctor.accessToken(), "Idempotency-Key", "hang-1");
        Map<String, String> withoutKey = Map.of("Authorization", "Bearer " + doctor.accessToken());
        String retried = new JsonObject().put("body", "Envoyé pendant le gel, renvoyé après").encode();
        String abandoned = new JsonObject().put("body", "Envoyé pendant le gel, jamais renvoyé").encode();

        try (WsTestClient socket = hub.people().live(patient)) {
            try (FrozenPostgres frozen = FrozenPostgres.freeze(hub.hub().embeddedDatabase().orElseThrow())) {
                assertTrue(frozen.processes() > 1, "the postmaster and its backends are stopped");

                assertUnavailable(Answered.within(BOUND, "a write with a key", () ->
                        hub.http().send("POST", messages, withKey, "application/json", retried)));
                assertUnavailable(Answered.within(BOUND, "a write without a key", () ->
                        hub.http().send("POST", messages, withoutKey, "application/json", abandoned)));
                assertUnavailable(Answered.within(BOUND, "a read", () -> patient.http().get(messages)));
                assertUnavailable(Answered.within(BOUND, "a read of the record", () ->
                        patient.http().get("/api/v1/patients/" + patient.id() + "/documents")));


                Response ready = Answered.within(BOUND, "readiness", () -> hub.http().get("/health/ready"));
                assertEquals(503, ready.status(), ready.body());
                assertEquals("DOWN", ready.json().getJsonObject("checks").getString("database"));
                assertEquals(200, hub.http().get("/health/live").status(), "the process itself is alive");

                socket.send(new JsonObject().put("type", "command").put("id", "c1").put("op", "message.send")
                        .put("args", new JsonObject().put("conversationId", conversation).put("body", "par la socket")));
                JsonObject commandError = Answered.within(BOUND, "a socket command", () ->
                        socket.awaitFrame("the command's error", f -> "c1".equals(f.getString("id"))));
                assertEquals("error", commandError.getString("type"), commandError.encode());
                assertEquals("database_unavailable", commandError.getString("code"), commandError.encode());

                socket.send(new JsonObject().put("type", "ping"));
                socket.awaitType("pong");
                assertEquals("still there", socket.ping("still there"), "the socket answers WebSocket pings");
                assertFalse(socket.isClosed(), "sockets stay open while the database hangs");
            }

            Eventually.await("readiness to come back", DEADLINE, () -> hub.http().get("/health/ready"), r -> r.status() == 200);
            Response sent = Eventually.await("the write retried with its key to succeed", DEADLINE,
                    () -> hub.http().send("POST", messages, withKey, "application/json", retried), r -> r.status() != 503);
            assertEquals(201, sent.status(), sent.body());
            String retriedId = sent.json().getString("id");
            Response marker = doctor.http().post(messages, new JsonObject().put("body", "Après le dégel"));
            assertEquals(201, marker.status(), marker.body());
            socket.awaitFrame("the message sent after the thaw", f -> "message.created".equals(f.getString("type"))
                    && marker.json().getString("id").equals(f.getJsonObject("data").getString("messageId")));
            assertEquals(1, socket.frames().stream().filter(f -> "message.created".equals(f.getString("type"))
                            && retriedId.equals(f.getJsonObject("data").getString("messageId"))).count(),
                    "the retried write is delivered on the socket once: " + socket.frames());
            assertFalse(socket.isClosed());
        }

        List<String> bodies = patient.http().get(messages).json().getJsonArray("items").stream()
                .map(item -> ((JsonObject) item).getString("body")).toList();
        assertEquals(List.of("Premier message", "Envoyé pendant le gel, renvoyé après", "Après le dégel"), bodies,
                "the retried write once, nothing of the writes that were refused and not retried");
    }

    @Test
    void aWriteWhoseCommitOutlivesTheBoundIsAnswered503ButDoneAndItsRetryWithTheSameKeyReturnsItOnce() throws Exception {
        Person patient = hub.people().patient("Odette");
        Person doctor = hub.people().professional("Dr Tardive", "physician");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message"))).json().getString("conversationId");
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        Map<String, String> withKey = Map.of("Authorization", "Bearer " + doctor.accessToken(), "Idempotency-Key", "late-commit");
        String body = new JsonObject().put("body", "Validé après la réponse").encode();

        try (WsTestClient socket = hub.people().live(patient)) {
            try (Connection holder = slowCommitsOfMessages(hub.hub().database())) {
                assertUnavailable(Answered.within(BOUND, "a write whose COMMIT waits", () ->
                        hub.http().send("POST", messages, withKey, "application/json", body)));
            } // the server commits the write now, though its client gave up on it
            Eventually.await("the write to be committed after all", DEADLINE, () -> hub.sql().count(
                    "SELECT count(*) FROM message WHERE conversation_id = ?::uuid", conversation), n -> n == 2);

            Response retried = hub.http().send("POST", messages, withKey, "application/json", body);
            assertEquals(200, retried.status(), "the retry finds the write that was done: " + retried.body());
            String messageId = retried.json().getString("id");
            Response marker = doctor.http().post(messages, new JsonObject().put("body", "Suite"));
            assertEquals(201, marker.status(), marker.body());
            socket.awaitFrame("the next message", f -> "message.created".equals(f.getString("type"))
                    && marker.json().getString("id").equals(f.getJsonObject("data").getString("messageId")));
            assertEquals(1, socket.frames().stream().filter(f -> "message.created".equals(f.getString("type"))
                            && messageId.equals(f.getJsonObject("data").getString("messageId"))).count(),
                    "the write's event reaches the socket once (read back when the next one shows the gap): " + socket.frames());
        } finally {
            hub.sql().execute("DROP TRIGGER IF EXISTS test_slow_commit ON message; DROP FUNCTION IF EXISTS test_slow_commit()");
        }
        List<String> bodies = patient.http().get(messages).json().getJsonArray("items").stream()
                .map(item -> ((JsonObject) item).getString("body")).toList();
        assertEquals(List.of("Premier message", "Validé après la réponse", "Suite"), bodies);
    }

    @Test
    void aHangInsideTheRecordOrTheProfileIsAnswered503ByTheirRoutesAndByMessagingWhichFilesIntoTheRecord() throws Exception {
        Person patient = hub.people().patient("Ninon");
        Person doctor = hub.people().professional("Dr Bloquée", "physician");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Ordonnance")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message"))).json().getString("conversationId");
        Response sent = doctor.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject()
                .put("body", "Ci-jointe").put("attachments", new JsonArray().add(new JsonObject().put("filename", "ordonnance.pdf")
                        .put("contentType", "application/pdf").put("data", Base64.getEncoder().encodeToString(PDF)))));
        assertEquals(201, sent.status(), sent.body());
        String attachment = sent.json().getJsonArray("attachments").getJsonObject(0).getString("id");
        String fileToRecord = "/api/v1/conversations/" + conversation + "/attachments/" + attachment + "/file-to-record";
        JsonObject filing = new JsonObject().put("kind", "prescription").put("careDate", "2020-01-15");

        // sessions, care and conversations answer; only the record's and the profile's tables hang
        try (Connection holder = lockTables(hub.hub().database(), "document", "profile_entry")) {
            assertUnavailable(Answered.within(BOUND, "a read of the record", () ->
                    patient.http().get("/api/v1/patients/" + patient.id() + "/documents")));
            assertUnavailable(Answered.within(BOUND, "a read of the profile", () ->
                    patient.http().get("/api/v1/patients/" + patient.id() + "/profile")));
            assertUnavailable(Answered.within(BOUND, "an attachment filed into the record (messaging calls the record)", () ->
                    doctor.http().post(fileToRecord, filing)));
        }
        Response filed = Eventually.await("the filing to be taken once the tables are free", DEADLINE,
                () -> doctor.http().post(fileToRecord, filing), r -> r.status() != 503);
        assertEquals(201, filed.status(), filed.body());
        assertEquals(1, patient.http().get("/api/v1/patients/" + patient.id() + "/documents").json().getJsonArray("items").size());
    }

    /** Holds an exclusive lock on {@code tables} until the returned connection is closed: every statement on them waits. */
    private static Connection lockTables(DatabaseEndpoint database, String... tables) throws SQLException {
        Connection holder = DriverManager.getConnection(database.jdbcUrl(), database.jdbcProperties());
        holder.setAutoCommit(false);
        try (var lock = holder.createStatement()) {
            lock.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
        }
        return holder;
    }

    /**
     * Makes the COMMIT of every new message wait, in the server, for an advisory lock that the returned connection
     * holds until it is closed: the hub hears nothing back for as long, as from a server that hangs at that moment.
     */
    private static Connection slowCommitsOfMessages(DatabaseEndpoint database) throws SQLException {
        hub.sql().execute("""
                CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$;
                CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON message
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_slow_commit()""");
        Connection holder = DriverManager.getConnection(database.jdbcUrl(), database.jdbcProperties());
        try (var lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(4242)");
        }
        return holder;
    }

    private static void assertUnavailable(Response response) {
        assertEquals(503, response.status(), response.body());
        assertEquals("database_unavailable", response.json().getString("code"), response.body());
        assertEquals("2", response.header("Retry-After"));
        assertTrue(response.header("Content-Type").startsWith("application/problem+json"), response.header("Content-Type"));
    }
}
