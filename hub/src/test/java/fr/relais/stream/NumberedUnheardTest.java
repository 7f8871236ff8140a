package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.CapturedLogs;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write whose events another node numbered, without the publication reaching the writer's node, is still
 * answered within moments: the writer asks the database instead of waiting for its timeout.
 */
class NumberedUnheardTest {
    /** Well under {@link NumberingWaiters#TIMEOUT}, well over {@link NumberingWaiters#ASK_AFTER} plus a sweep. */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @RegisterExtension
    static final CapturedLogs logs = CapturedLogs.atDebug();

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aWriteNumberedByANodeThatDidNotTellTheWriterIsAnsweredPromptly() throws Exception {
        Person patient = hub.people().patient("Numérotée ailleurs");
        hub.awaitEventsNumbered(); // the patient's own activation events, numbered a moment after it is answered
        long head = hub.hub().streams().position(patient.id()).await().head();
        Vertx writerNode = Vertx.vertx(); // no cluster with the hub: the hub's publications never reach it
        PgConnectOptions database = hub.hub().database().connectOptions();
        Pool pool = PgBuilder.pool().connectingTo(database).using(writerNode).build();
        // a sequencer that never gets a connection: only the hub's sweep numbers this node's events
        Pool unreachable = PgBuilder.pool().connectingTo(new PgConnectOptions(database).setPort(1)).using(writerNode).build();
        Streams writer = new Streams(writerNode, pool, unreachable, hub.clock());
        writer.start();
        try {
            Future<String> written = writer.withTransaction(tx -> tx.append(patient.id(), "document.arrived", new JsonObject())
                    .map("written"));
            assertEquals("written", written.toCompletionStage().toCompletableFuture()
                    .get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            // the patient's vaccination reminders may fire meanwhile: count only the event this test wrote
            List<StreamEvent> after = hub.hub().streams().replay(patient.id(), head, Long.MAX_VALUE, 100).await();
            assertEquals(1, after.stream().filter(event -> event.type().equals("document.arrived")).count(),
                    () -> "numbered before the answer; the stream after " + head + ": " + after);
            assertTrue(logs.containing("answered before its events were numbered").isEmpty());
        } finally {
            writer.stop().await();
            writerNode.close().await();
        }
    }
}
