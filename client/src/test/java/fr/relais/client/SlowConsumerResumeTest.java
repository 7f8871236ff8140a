package fr.relais.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A burst far larger than the hub lets wait for one socket reaches the application whole, in order, once. */
class SlowConsumerResumeTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("ws.maxOutboundBytes", "64KiB");

    @Test
    void aBurstThatGetsTheClientCutAsASlowConsumerStillArrivesWholeThroughResumes() throws Exception {
        Person p = hub.people().patient("Slow reader");
        int total = 1200;
        String padding = "x".repeat(16 * 1024);
        for (int i = 1; i <= total; i++) {
            hub.hub().streams().append(p.id(), "document.arrived", new JsonObject().put("n", i).put("padding", padding));
        }
        Eventually.await("the burst to be written", Duration.ofSeconds(60),
                () -> hub.hub().streams().position(p.id()).await().head(), head -> head == total);
        String epoch = hub.hub().streams().position(p.id()).await().epoch();

        // 19 MB from the start with 64 KiB of room: the client may be cut (4004) on the way, then it reconnects
        // and resumes, which the exact sequence below proves.
        Vertx vertx = Vertx.vertx();
        List<Event> received = new CopyOnWriteArrayList<>();
        try {
            RelaisClient client = RelaisClient.create(vertx, RelaisClientOptions.of("127.0.0.1", hub.port(), p::accessToken)
                            .from(new Cursor(epoch, 0)))
                    .onEvent(received::add);
            client.start().await(60, TimeUnit.SECONDS);
            Eventually.await("every event through the client", Duration.ofSeconds(60), received::size, n -> n >= total);
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                    received.stream().map(Event::offset).toList(), "in order, none twice, none missing");
            client.close().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }
}
