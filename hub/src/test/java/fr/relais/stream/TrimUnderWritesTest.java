package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention trims while people keep writing. A message locks the streams of everyone in the conversation (the
 * sender's and the patient's), in one order; the trimmer moves {@code first_retained} on many streams at once. It
 * must take those locks in the same order, or PostgreSQL kills it as a deadlock victim on every run under load and
 * history is never trimmed (found by {@code loadtest/run faults}). It trims in batches of streams (here 2, so that
 * the test goes through several).
 */
class TrimUnderWritesTest {
    private static final int PATIENTS = 6;
    private static final int TRIMS = 40;
    private static final int WRITERS_PER_PATIENT = 3;

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void everyTrimSucceedsWhileAProfessionalKeepsWritingToSeveralPatients() throws Exception {
        Person doctor = hub.people().professional("Dr Rétention", "physician");
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < PATIENTS; i++) {
            Person patient = hub.people().patient("Patient rétention " + i);
            hub.people().treats(doctor, patient);
            conversations.add(doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Bonjour"))).json().getString("conversationId"));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        ExecutorService writers = Executors.newFixedThreadPool(PATIENTS * WRITERS_PER_PATIENT);
        for (String conversation : conversations) {
          for (int w = 0; w < WRITERS_PER_PATIENT; w++) {
            writers.execute(() -> {
                while (writing.get()) {
                    var answer = doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                            new JsonObject().put("body", "Message " + written.incrementAndGet()));
                    if (answer.status() != 201) {
                        refused.add(answer.status() + " " + answer.body());
                    }
                }
            });
          }
        }
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx()).build();
        List<String> failedTrims = new ArrayList<>();
        int removed = 0;
        try {
            StreamRetention retention = new StreamRetention(pool, Duration.ofDays(30), 1, hub.clock(), 2);
            for (int i = 0; i < TRIMS; i++) {
                try {
                    removed += retention.trim().await();
                } catch (Exception e) {
                    failedTrims.add(e.getMessage());
                }
            }
        } finally {
            writing.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(1, TimeUnit.MINUTES));
        }
        try {
            // a write is answered once committed; its events are numbered just after
            fr.relais.testing.Eventually.await("every event numbered", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT count(*) FROM stream_outbox"), n -> n == 0);
            new StreamRetention(pool, Duration.ofDays(30), 1, hub.clock(), 2).trim().await();
            var kept = pool.query("SELECT count(*) AS streams, max(n) AS most FROM (SELECT count(*) AS n FROM stream_event GROUP BY recipient_id) k")
                    .execute().await().iterator().next();
            assertEquals(1L, kept.getLong("most"), "after a trim in batches of 2, every one of the "
                    + kept.getLong("streams") + " streams keeps its newest event only");
        } finally {
            pool.close().await();
        }
        assertEquals(List.of(), failedTrims, "every trim succeeds (" + written.get() + " messages written meanwhile)");
        assertEquals(List.of(), List.copyOf(refused), "and every write too");
        assertTrue(removed > 0, "history was trimmed");
    }

    /**
     * The sequencer moves heads in recipient order. A trim that waits for the first stream of its batch (held by a
     * sequencer batch) must hold none of the later ones meanwhile, or the batch's next stream closes a deadlock.
     */
    @Test
    void aTrimWaitingForAStreamTheSequencerHoldsHoldsNoneOfTheStreamsAfterIt() throws Exception {
        List<java.util.UUID> recipients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Person patient = hub.people().patient("Patient ordre " + i);
            hub.hub().streams().append(patient.id(), "document.arrived", new JsonObject()).await();
            hub.hub().streams().append(patient.id(), "document.arrived", new JsonObject()).await();
            recipients.add(patient.id());
        }
        // in PostgreSQL's order of uuids (unsigned bytes), which is not java.util.UUID's (signed halves)
        recipients = hub.sql().rows("SELECT recipient_id FROM stream WHERE recipient_id IN (?, ?) ORDER BY recipient_id",
                recipients.get(0), recipients.get(1)).stream().map(row -> (java.util.UUID) row.get("recipient_id")).toList();
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx())
                .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(3)).build();
        try {
            var sequencer = pool.getConnection().await();
            var batch = sequencer.begin().await();
            sequencer.preparedQuery("UPDATE stream SET head = head WHERE recipient_id = $1").execute(Tuple.of(recipients.get(0))).await();
            var trim = new StreamRetention(pool, Duration.ofDays(3650), 1, hub.clock(), 100).trim();
            fr.relais.testing.Eventually.await("the trim waits for the first stream", Duration.ofSeconds(10),
                    () -> pool.query("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype IN ('tuple', 'transactionid')")
                            .execute().await().iterator().next().getLong("n"), n -> n > 0);
            sequencer.preparedQuery("UPDATE stream SET head = head WHERE recipient_id = $1").execute(Tuple.of(recipients.get(1))).await();
            batch.commit().await();
            sequencer.close().await();
            assertTrue(trim.await() >= 2, "the trim went on once the batch committed");
        } finally {
            pool.close().await();
        }
    }
}
