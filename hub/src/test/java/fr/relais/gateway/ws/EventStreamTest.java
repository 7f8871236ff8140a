package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Server-Sent Events fallback, resuming with Last-Event-ID; and the delivery metrics. */
class EventStreamTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void sseResumesFromLastEventIdThenStreamsLive() {
        Person p = hub.people().patient("Behind a proxy");
        for (int i = 1; i <= 3; i++) {
            hub.hub().streams().append(p.id(), "message.created", new JsonObject().put("n", i)).await();
        }
        String epoch = hub.hub().streams().position(p.id()).await().epoch();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/events"))
                .header("Authorization", "Bearer " + p.accessToken()).header("Last-Event-ID", epoch + ":1")
                .header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Stream<String>>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> response.join().body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();

        Eventually.await("the two missed events", Duration.ofSeconds(15), () -> ids(lines), ids -> ids.size() >= 2);
        Eventually.await("the subscribed event", Duration.ofSeconds(15), () -> lines, l -> l.contains("event: subscribed"));
        hub.hub().streams().append(p.id(), "document.arrived", new JsonObject()).await();
        List<String> ids = Eventually.await("the live event", Duration.ofSeconds(15), () -> ids(lines), l -> l.size() >= 3);
        assertEquals(List.of(epoch + ":2", epoch + ":3", epoch + ":4"), ids);
        assertTrue(lines.contains("event: document.arrived"), String.join("\n", lines));
        assertEquals("text/event-stream; charset=utf-8", response.join().headers().firstValue("Content-Type").orElse(""));
        response.join().body().close();
    }

    @Test
    void withoutATokenTheEventStreamIs401() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
    }

    @Test
    void deliveryIsMeasured() {
        Person p = hub.people().patient("Measured");
        try (var socket = fr.relais.testing.WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            hub.hub().streams().append(p.id(), "message.created", new JsonObject()).await();
            socket.awaitEvents(1);
            String metrics = hub.http().get("/metrics").body();
            assertTrue(metrics.contains("relais_ws_connections "), "open sockets gauge");
            assertTrue(metrics.contains("relais_ws_frames_out_total"), "frames out");
            assertTrue(metrics.contains("relais_ws_frames_in_total"), "frames in");
            assertTrue(metrics.contains("relais_stream_delivery_seconds_bucket"), "commit-to-socket latency histogram");
        }
    }

    private static List<String> ids(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("id: ")).map(l -> l.substring(4)).toList();
    }
}
