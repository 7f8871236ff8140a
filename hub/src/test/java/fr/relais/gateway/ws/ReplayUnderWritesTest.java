package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client far behind catches up over many replay pages while people keep writing to its stream: it gets every
 * offset once, in order, across the replay/live boundary. The raw client keeps duplicates, so it would show them.
 */
class ReplayUnderWritesTest {
    private static final int BACKLOG = 300;
    private static final int PAGE = 10;
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("ws.replayPageSize", String.valueOf(PAGE));

    @Test
    void eventsWrittenDuringAManyPageReplayArriveOnceInOrderWithNoGap() throws InterruptedException {
        Person patient = hub.people().patient("Patiente en retard");
        Person doctor = hub.people().professional("Dr Écrit", "physician");
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        for (int i = 1; i <= BACKLOG; i++) {
            hub.hub().streams().append(patient.id(), "document.arrived", new JsonObject().put("n", i));
        }
        Eventually.await("the backlog committed", Duration.ofSeconds(30),
                () -> hub.hub().streams().position(patient.id()).await().head(), head -> head == BACKLOG);
        String epoch = hub.hub().streams().position(patient.id()).await().epoch();
        long cursor = 3;

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        AtomicReference<String> refused = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        writers.add(writer("patient-deposits", stop, written, refused,
                () -> patient.http().post("/api/v1/documents", document().put("patientId", patient.id().toString()))));
        writers.add(writer("doctor-deposits", stop, written, refused,
                () -> doctor.http().post("/api/v1/documents", document().put("ins", ins))));
        writers.forEach(Thread::start);
        try {
            // the writers are already running: the replay of the backlog (30 pages) happens under their writes
            Eventually.await("writes under way", Duration.ofSeconds(30), written::get, n -> n >= 2);
            try (WsTestClient socket = WsTestClient.subscribed(hub.port(), patient.accessToken(),
                    new JsonObject().put("epoch", epoch).put("offset", cursor))) {
                JsonObject subscribed = socket.awaitType("subscribed");
                assertTrue(subscribed.getBoolean("recovered"));
                int atSubscribed = written.get();
                Eventually.await("more writes after the replay", Duration.ofSeconds(30), written::get, n -> n >= atSubscribed + 6);
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join(Duration.ofSeconds(30).toMillis());
                }
                assertEquals(null, refused.get(), "every write was accepted");

                long head = hub.hub().streams().position(patient.id()).await().head();
                assertTrue(head > BACKLOG + 6, "writes happened: head " + head);
                List<Long> expected = LongStream.rangeClosed(cursor + 1, head).boxed().toList();
                Eventually.await("every event up to offset " + head, Duration.ofSeconds(30),
                        () -> socket.events().size(), n -> n >= expected.size());
                assertEquals(expected, socket.events().stream().map(e -> e.getLong("offset")).toList(),
                        "each offset once, in order, none missing");

                long subscribedAt = subscribed.getLong("offset");
                assertTrue(subscribedAt >= BACKLOG, "subscribed after the backlog: " + subscribedAt);
                List<JsonObject> frames = socket.frames();
                int announced = frames.indexOf(subscribed);
                assertEquals(subscribedAt, frames.get(announced - 1).getLong("offset"),
                        "subscribed comes right after the event it names");
            }
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(30).toMillis());
            }
        }
    }

    private static Thread writer(String name, AtomicBoolean stop, AtomicInteger written, AtomicReference<String> refused,
                                 java.util.function.Supplier<fr.relais.testing.HttpTestClient.Response> write) {
        return new Thread(() -> {
            while (!stop.get()) {
                var response = write.get();
                if (response.status() != 201) {
                    refused.compareAndSet(null, response.status() + " " + response.body());
                    return;
                }
                written.incrementAndGet();
            }
        }, name);
    }

    private static JsonObject document() {
        return new JsonObject().put("kind", "lab_result").put("title", "Bilan")
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf").put("data", PDF);
    }
}
