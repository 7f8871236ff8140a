package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An event says the same {@code time} whether it arrives live or is replayed from the database later. */
class EventTimeTest {
    private static final String PDF = Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void anEventHasTheSameTimeLiveAndReplayedToTheMicrosecond() {
        Person patient = hub.people().patient("Patiente à l'heure");
        // the hub's clock at a time with nanoseconds below the microsecond, which PostgreSQL does not keep
        Duration toNanos123 = Duration.ofNanos(Math.floorMod(123 - hub.clock().instant().getNano() % 1000, 1000));
        hub.clock().advance(toNanos123);
        try {
            JsonObject live;
            try (WsTestClient socket = hub.people().live(patient)) {
                JsonObject document = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                        .put("title", "Bilan").put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString()).put("contentType", "application/pdf").put("data", PDF);
                assertEquals(201, patient.http().post("/api/v1/documents", document).status());
                live = socket.awaitEvents(1).get(0);
            }
            JsonObject cursor = new JsonObject().put("epoch", live.getString("epoch")).put("offset", live.getLong("offset") - 1);
            try (WsTestClient later = WsTestClient.subscribed(hub.port(), patient.accessToken(), cursor)) {
                JsonObject replayed = later.awaitEvents(1).get(0);
                assertEquals(live.getLong("offset"), replayed.getLong("offset"));
                assertEquals(live.getString("time"), replayed.getString("time"), "the same time, to the same precision");
            }
            Instant time = Instant.parse(live.getString("time"));
            assertEquals(hub.clock().instant().getEpochSecond(), time.getEpochSecond());
            assertEquals(hub.clock().instant().getNano() / 1000, time.getNano() / 1000, "the hub's time, to the microsecond");
        } finally {
            hub.clock().advance(toNanos123.negated());
        }
    }
}
