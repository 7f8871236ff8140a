package fr.relais.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.db.embedded.EmbeddedPostgres;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database outage: a hub on an embedded server of its own, which the tests stop and restart. The hub reports
 * not ready, refuses writes with a retryable 503, keeps its sockets open and recovers by itself.
 */
class ReadinessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.url", "")
            .with("db.embedded.dir", "target/readiness-postgres-" + UUID.randomUUID());

    @Test
    void notReadyWhileTheDatabaseIsDownAndReadyAgainWhenItIsBack() {
        EmbeddedPostgres database = hub.hub().embeddedDatabase().orElseThrow();
        assertEquals(200, hub.http().get("/health/ready").status());

        database.stop();
        try {
            Response down = Eventually.await("readiness to fail", DEADLINE,
                    () -> hub.http().get("/health/ready"), r -> r.status() == 503);
            assertEquals("DOWN", down.json().getString("status"));
            assertEquals("DOWN", down.json().getJsonObject("checks").getString("database"));
            assertEquals(200, hub.http().get("/health/live").status(), "the process itself is still alive");
        } finally {
            database.restart();
        }

        Response up = Eventually.await("readiness to come back", DEADLINE,
                () -> hub.http().get("/health/ready"), r -> r.status() == 200);
        assertEquals("UP", up.json().getJsonObject("checks").getString("database"));
    }

    @Test
    void writesAreRefusedRetryablyDuringAnOutageSocketsStayOpenAndARetryAfterwardsWritesOnce() {
        EmbeddedPostgres database = hub.hub().embeddedDatabase().orElseThrow();
        Person patient = hub.people().patient("Iris");
        Person doctor = hub.people().professional("Dr Panne", "physician");
        hub.people().treats(doctor, patient);
        String conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message"))).json().getString("conversationId");
        String messages = "/api/v1/conversations/" + conversation + "/messages";
        Map<String, String> retried = Map.of("Authorization", "Bearer " + doctor.accessToken(), "Idempotency-Key", "outage-1");
        String body = new JsonObject().put("body", "Envoyé pendant la panne").encode();

        try (WsTestClient socket = hub.people().live(patient)) {
            database.stop();
            try {
                Response refused = Eventually.await("a write to be refused", DEADLINE,
                        () -> hub.http().send("POST", messages, retried, "application/json", body), r -> r.status() != 201);
                assertEquals(503, refused.status(), refused.body());
                assertEquals("database_unavailable", refused.json().getString("code"));
                assertEquals("2", refused.header("Retry-After"));
                Response record = patient.http().get("/api/v1/patients/" + patient.id() + "/documents");
                assertEquals(503, record.status(), "the record answers the same: " + record.body());
                assertEquals("database_unavailable", record.json().getString("code"));
                assertEquals("2", record.header("Retry-After"));

                socket.send(new JsonObject().put("type", "command").put("id", "c1").put("op", "message.send")
                        .put("args", new JsonObject().put("conversationId", conversation).put("body", "par la socket")));
                JsonObject commandError = socket.awaitFrame("the command's error", f -> "c1".equals(f.getString("id")));
                assertEquals("database_unavailable", commandError.getString("code"), commandError.encode());

                socket.send(new JsonObject().put("type", "ping"));
                socket.awaitType("pong");
                assertFalse(socket.isClosed(), "sockets stay open through the outage");
            } finally {
                database.restart();
            }

            Response sent = Eventually.await("the retried write to succeed", DEADLINE,
                    () -> hub.http().send("POST", messages, retried, "application/json", body), r -> r.status() != 503);
            assertEquals(201, sent.status(), sent.body());
            JsonObject event = socket.awaitFrame("the message sent after the outage", f -> "message.created".equals(f.getString("type"))
                    && f.getJsonObject("data").getLong("seq") == 2);
            assertEquals(sent.json().getString("id"), event.getJsonObject("data").getString("messageId"), event.encode());
        }
        assertEquals(2, patient.http().get(messages).json().getJsonArray("items").size(),
                "the first message and the retried one, nothing from the refused attempts");
    }
}
