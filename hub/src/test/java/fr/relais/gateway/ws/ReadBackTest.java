package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.stream.StreamRetention;
import fr.relais.testing.CapturedLogs;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A socket that misses publications reads the missing events back from the database before the next live one; if
 * the trimmer removed them first, the socket is told (error {@code events_trimmed}, close 4010) instead of skipping
 * them. The missed publications are those of events numbered straight into the stream, as a node does that dies
 * (or leaves the cluster) between its batch's commit and its publication; the live event after them is a real
 * deposit through the API.
 */
class ReadBackTest {
    private static final String TRIMMED_LOG = "were trimmed before this socket received them";
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final CapturedLogs logs = CapturedLogs.atDebug();

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void eventsWhosePublicationTheSocketMissedAreReadBackBeforeTheNextLiveOne() {
        Person patient = hub.people().patient("Patiente aux publications perdues");
        try (WsTestClient socket = hub.people().live(patient)) {
            long head = hub.hub().streams().position(patient.id()).await().head();
            numberedUnheard(patient, 2); // committed, never published
            deposit(patient); // live, two offsets after what the socket has
            List<JsonObject> events = socket.awaitEvents(3);
            assertEquals(List.of(head + 1, head + 2, head + 3), events.stream().map(e -> e.getLong("offset")).toList(),
                    "the two missed events read back first, then the live one, each once");
            assertTrue(events.stream().allMatch(e -> "document.arrived".equals(e.getString("type"))));
        }
    }

    @Test
    void whenTheFirstMissedEventsWereTrimmedTheSocketIsToldAndClosedWith4010() {
        Person patient = hub.people().patient("Patient rogné en partie");
        try (WsTestClient socket = hub.people().live(patient)) {
            long head = hub.hub().streams().position(patient.id()).await().head();
            numberedUnheard(patient, 3);
            // keeps only the newest event of each stream: the read-back finds head + 3 but not head + 1
            assertTrue(trim(Duration.ofDays(3650), 1, hub.clock()) >= 2);
            assertToldAndClosed(socket, patient, head, () -> deposit(patient));
        }
    }

    @Test
    void whenEveryMissedEventWasTrimmedTheSocketIsToldAndClosedWith4010() {
        Person patient = hub.people().patient("Patient rogné en entier");
        try (WsTestClient socket = hub.people().live(patient)) {
            long head = hub.hub().streams().position(patient.id()).await().head();
            numberedUnheard(patient, 2);
            // a retention whose cutoff is after every event: the read-back finds nothing at all
            Clock later = Clock.fixed(hub.clock().instant().plus(Duration.ofDays(2)), ZoneOffset.UTC);
            assertTrue(trim(Duration.ofDays(1), Integer.MAX_VALUE, later) >= 2);
            assertToldAndClosed(socket, patient, head, () -> deposit(patient));
        }
    }

    private static void assertToldAndClosed(WsTestClient socket, Person patient, long head, Runnable liveWrite) {
        String epoch = hub.hub().streams().position(patient.id()).await().epoch();
        int toldBefore = logs.containing(TRIMMED_LOG).size();
        liveWrite.run(); // arrives with a gap whose events are gone
        assertEquals("events_trimmed", socket.awaitType("error").getString("code"));
        assertEquals(CloseCodes.STREAM_RESET, socket.awaitClose());
        assertEquals(List.of(), socket.events(), "nothing delivered past the events it lost");
        assertEquals(1, logs.containing(TRIMMED_LOG).size() - toldBefore, "found once, not read again and again");
        assertTrue(logs.containing("skipping ahead").isEmpty());

        try (WsTestClient again = WsTestClient.subscribed(hub.port(), patient.accessToken(),
                new JsonObject().put("epoch", epoch).put("offset", head))) {
            JsonObject subscribed = again.awaitType("subscribed");
            assertFalse(subscribed.getBoolean("recovered"), "the cursor it had says what it lost: reload by REST");
            assertEquals(hub.hub().streams().position(patient.id()).await().head(), subscribed.getLong("offset"));
        }
    }

    /** {@code count} events numbered into the patient's stream and committed, whose publication never comes. */
    private static void numberedUnheard(Person patient, int count) {
        hub.sql().execute("""
                WITH h AS (
                    INSERT INTO stream AS s (recipient_id, epoch, head) VALUES ('%1$s', md5(random()::text), %2$d)
                    ON CONFLICT (recipient_id) DO UPDATE SET head = s.head + EXCLUDED.head
                    RETURNING head)
                INSERT INTO stream_event (recipient_id, "offset", type, data, created_at)
                SELECT '%1$s', h.head - %2$d + n, 'document.arrived', '{}', '%3$s' FROM h, generate_series(1, %2$d) AS n"""
                .formatted(patient.id(), count, hub.clock().instant())); // the hub's time, as the sequencer gives
    }

    private static void deposit(Person patient) {
        JsonObject document = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Bilan").put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
        HttpTestClient.Response response = hub.http().send("POST", "/api/v1/documents",
                Map.of("Authorization", "Bearer " + patient.accessToken()), "application/json", document.encode());
        assertEquals(201, response.status(), response.body());
    }

    /** One run of the real trimmer with these settings (the hub's own runs with the configured ones). */
    private static int trim(Duration retention, int maxEventsPerRecipient, Clock clock) {
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx()).build();
        try {
            return new StreamRetention(pool, retention, maxEventsPerRecipient, clock).trim().await();
        } finally {
            pool.close().await();
        }
    }
}
