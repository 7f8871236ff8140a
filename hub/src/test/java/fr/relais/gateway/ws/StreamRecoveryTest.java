package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.stream.StreamRetention;
import fr.relais.stream.Streams;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens when things go wrong: trimmed history, a stopped hub, a client that does not read. */
class StreamRecoveryTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("ws.maxOutboundBytes", "64KiB");

    @Test
    void aCursorIntoTrimmedHistoryIsNotRecoveredAndStartsAtTheHead() {
        Person p = hub.people().patient("Forgetful");
        for (int i = 0; i < 5; i++) {
            hub.hub().streams().append(p.id(), "message.created", new JsonObject()).await();
        }
        String epoch = hub.hub().streams().position(p.id()).await().epoch();
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx()).build();
        try {
            assertTrue(new StreamRetention(pool, Duration.ofDays(30), 2, Clock.systemUTC()).trim().await() >= 3);
        } finally {
            pool.close().await();
        }
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(),
                new JsonObject().put("epoch", epoch).put("offset", 1))) {
            JsonObject subscribed = socket.awaitType("subscribed");
            assertFalse(subscribed.getBoolean("recovered"));
            assertEquals(5, subscribed.getLong("offset"));
            assertTrue(socket.events().isEmpty());
        }
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(),
                new JsonObject().put("epoch", epoch).put("offset", 3))) {
            assertEquals(List.of(4L, 5L), socket.awaitEvents(2).stream().map(e -> e.getLong("offset")).toList());
            assertTrue(socket.awaitType("subscribed").getBoolean("recovered"), "what is still kept is recovered");
        }
    }

    @Test
    void eventsWrittenWhileTheHubWasStoppedArriveAfterTheRestartAndSocketsGot1001() throws Exception {
        Person p = hub.people().patient("Patient");
        JsonObject cursor;
        WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null);
        try {
            socket.awaitType("subscribed");
            hub.hub().streams().append(p.id(), "message.created", new JsonObject().put("n", 1)).await();
            JsonObject first = socket.awaitEvents(1).get(0);
            cursor = new JsonObject().put("epoch", first.getString("epoch")).put("offset", first.getLong("offset"));
            hub.restart(() -> {
                assertEquals(CloseCodes.GOING_AWAY, socket.awaitClose());
                appendFromAnotherProcess(p.id(), 3); // as another node, or a batch job, would while this one is down
            });
        } finally {
            socket.close();
        }
        try (WsTestClient again = WsTestClient.subscribed(hub.port(), p.accessToken(), cursor)) {
            assertEquals(List.of(2L, 3L, 4L), again.awaitEvents(3).stream().map(e -> e.getLong("offset")).toList());
            assertTrue(again.awaitType("subscribed").getBoolean("recovered"));
        }
    }

    @Test
    void aClientThatStopsReadingIsCutAndResumesWithItsCursor() {
        Person p = hub.people().patient("Slow reader");
        int total = 1200;
        String epoch;
        double cutBefore = slowConsumersCut();
        try (WsTestClient slow = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            slow.awaitType("subscribed");
            slow.pause();
            String padding = "x".repeat(16 * 1024);
            List<Future<?>> appended = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                appended.add(hub.hub().streams().append(p.id(), "document.arrived", new JsonObject().put("n", i).put("padding", padding)));
            }
            // all written before the resume below: live events arriving while a big replay still fills the socket
            // would cut that client too (as a slow consumer, rightly), which is not what this test is about
            Future.all(appended).await();
            // the only socket of this hub now, so a cut is this socket's
            Eventually.await("the slow socket to be cut", Duration.ofSeconds(60), StreamRecoveryTest::slowConsumersCut,
                    cut -> cut > cutBefore);
            slow.resume();
            assertEquals(CloseCodes.SLOW_CONSUMER, slow.awaitClose());
            assertTrue(slow.events().size() < total, "it was cut before it had everything");
            epoch = slow.events().get(0).getString("epoch");
        }

        // the Java client reading such a burst through cuts and resumes: client/…/SlowConsumerResumeTest
        try (WsTestClient resumed = WsTestClient.subscribed(hub.port(), p.accessToken(),
                new JsonObject().put("epoch", epoch).put("offset", 600))) {
            assertEquals(total - 600, resumed.awaitEvents(total - 600).size(), "a cut client recovers with its cursor");
        }
    }

    private static double slowConsumersCut() {
        Matcher counter = Pattern.compile("(?m)^relais_ws_slow_consumers_total (\\S+)$").matcher(hub.http().get("/metrics").body());
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }

    private static void appendFromAnotherProcess(java.util.UUID recipient, int count) {
        Vertx other = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(other).build();
        try {
            Streams streams = new Streams(other, pool, Clock.systemUTC());
            streams.start();
            for (int i = 0; i < count; i++) {
                streams.append(recipient, "message.created", new JsonObject()).await();
            }
            streams.stop().await();
        } finally {
            pool.close().await();
            other.close().await();
        }
    }
}
