package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write is answered once its events have their offsets, not merely once it committed: whoever got the answer and
 * then subscribes without a cursor does not receive those events again, and the stream's position counts them.
 */
class AnsweredWriteTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aMessageIsAnsweredOnlyOnceItsEventIsNumbered() throws Exception {
        Person doctor = hub.people().professional("Dr Réponse", "physician");
        Person patient = hub.people().patient("Patiente abonnée après la réponse");
        String conversation = hub.people().conversation(doctor, patient);
        String path = "/api/v1/conversations/" + conversation + "/messages";
        hub.awaitEventsNumbered();
        long headBefore = head(patient);

        CompletableFuture<Response> sent;
        try (Connection sequencerHeld = DriverManager.getConnection(hub.hub().database().jdbcUrl(), hub.hub().database().jdbcProperties())) {
            sequencerHeld.createStatement().execute("SELECT pg_advisory_lock(" + StreamSequencer.LOCK_KEY + ")");
            sent = CompletableFuture.supplyAsync(() -> doctor.http().post(path, new JsonObject().put("body", "Deuxième")));
            Eventually.await("the message committed", DEADLINE,
                    () -> patient.http().get(path).json().getJsonArray("items").size(), n -> n == 2);
            assertFalse(sent.isDone(), "committed, but its event has no offset yet: no answer");
        }
        Response answered = sent.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(201, answered.status(), answered.body());
        assertEquals(headBefore + 1, head(patient), "answered: the patient's stream holds the event");

        try (WsTestClient later = WsTestClient.subscribed(hub.port(), patient.accessToken(), null)) {
            assertEquals(headBefore + 1, later.awaitType("subscribed").getLong("offset"),
                    "a subscription made after the answer starts after the message's event");
        }
    }

    private static long head(Person person) {
        return hub.sql().count("SELECT head FROM stream WHERE recipient_id = ?", person.id());
    }
}
