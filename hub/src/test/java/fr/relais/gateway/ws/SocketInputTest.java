package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.RawHttpClient;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a socket client may get wrong: arguments, frame sizes, scopes, and not reading what it asked for. */
class SocketInputTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("ws.maxFrameSize", "4KiB")        // the frame decoder's own cap is four times this: 16 KiB
            .with("ws.maxOutboundBytes", "64KiB")
            .with("ws.maxMessagesPerSecond", "1000");

    @Test
    void commandsWithArgumentsOfTheWrongTypeGetAnErrorFrameWithTheirId() {
        Person doctor = hub.people().professional("Dr Typo", "physician");
        Person patient = hub.people().patient("Patient Typo");
        hub.people().treats(doctor, patient);
        String conversation = startConversation(doctor, patient, "Hello");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), doctor.accessToken(), null)) {
            socket.awaitType("subscribed");
            JsonObject[] wrong = {
                    new JsonObject().put("limit", "abc"),
                    new JsonObject().put("conversationId", conversation).put("after", "yesterday"),
                    new JsonObject().put("conversationId", conversation).put("limit", new JsonArray()),
                    new JsonObject().put("before", 12).put("limit", true)};
            String[] ops = {"conversation.list", "conversation.messages", "conversation.messages", "conversation.list"};
            for (int i = 0; i < ops.length; i++) {
                String id = "c" + i;
                socket.send(command(id, ops[i], wrong[i]));
                JsonObject error = socket.awaitFrame("an answer to " + id, frame -> id.equals(frame.getString("id")));
                assertEquals("error", error.getString("type"), ops[i] + " " + wrong[i] + ": " + error);
                assertEquals("invalid_command", error.getString("code"), ops[i] + " " + wrong[i] + ": " + error);
            }
            socket.send(command("k", "conversation.list", new JsonObject()).put("idempotencyKey", "a\u0000b"));
            JsonObject refused = socket.awaitFrame("an answer to k", frame -> "k".equals(frame.getString("id")));
            assertEquals("invalid_character", refused.getString("code"), refused.encode());
            // a key that is not a string is refused, as over REST: ignored, a retry would write twice
            socket.send(command("n", "message.send", new JsonObject().put("conversationId", conversation).put("body", "Encore"))
                    .put("idempotencyKey", 7));
            JsonObject notAKey = socket.awaitFrame("an answer to n", frame -> "n".equals(frame.getString("id")));
            assertEquals("invalid_field", notAKey.getString("code"), notAKey.encode());
            assertEquals(1, doctor.http().get("/api/v1/conversations/" + conversation + "/messages").json()
                    .getJsonArray("items").size(), "nothing written");
            socket.send(command("ok", "conversation.list", new JsonObject().put("limit", 5)));
            JsonObject result = socket.awaitFrame("an answer to ok", frame -> "ok".equals(frame.getString("id")));
            assertEquals("result", result.getString("type"), "the socket still serves commands: " + result);
        }
    }

    @Test
    void aFrameOverTheDecodersCapIsAnsweredWithCloseCode1009() {
        Person patient = hub.people().patient("Patient Bavard");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), patient.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.send(new JsonObject().put("type", "ping").put("padding", "x".repeat(100 * 1024)));
            assertEquals(CloseCodes.TOO_BIG, socket.awaitClose());
        }
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), patient.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.send(new JsonObject().put("type", "ping").put("padding", "x".repeat(8 * 1024)));
            assertEquals(CloseCodes.TOO_BIG, socket.awaitClose(), "between ws.maxFrameSize and the decoder's cap too");
        }
    }

    @Test
    void anIntegratorWithoutStreamReadCannotSubscribe() {
        Person admin = hub.people().admin("Ops");
        JsonObject client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Lab")
                .put("organisationId", hub.people().organisation("laboratory", "Lab"))
                .put("scopes", new JsonArray().add("documents:write"))).json();
        String token = hub.http().send("POST", "/api/v1/oauth/token", Map.of(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + client.getString("clientId") + "&client_secret="
                        + client.getString("clientSecret")).json().getString("access_token");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), token, null)) {
            JsonObject error = socket.awaitType("error");
            assertEquals("insufficient_scope", error.getString("code"), error.encode());
            socket.send(new JsonObject().put("type", "ping"));
            socket.awaitType("pong");
            assertFalse(socket.frames().stream().anyMatch(frame -> "subscribed".equals(frame.getString("type"))), socket.frames().toString());
        }
        Response events = new RawHttpClient(hub.port()).send("GET", "/api/v1/events", Map.of("Authorization", "Bearer " + token), null);
        assertEquals(403, events.status(), events.body());
        assertEquals("insufficient_scope", events.json().getString("code"));
    }

    @Test
    void repliesCountTowardTheSlowConsumerLimitAndNothingMoreIsQueuedOnceCut() {
        Person doctor = hub.people().professional("Dr Prolixe", "physician");
        Person patient = hub.people().patient("Patient Lent");
        hub.people().treats(doctor, patient);
        String conversation = startConversation(doctor, patient, "y".repeat(10_000));
        for (int i = 1; i < 50; i++) {
            assertEquals(201, doctor.http().post("/api/v1/conversations/" + conversation + "/messages",
                    new JsonObject().put("body", "y".repeat(10_000))).status());
        }
        double cutBefore = counter("relais_ws_slow_consumers_total");
        int sent = 80; // about 500 KB per reply: far more than the socket buffers on both sides and 64 KiB
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), patient.accessToken(), null)) {
            socket.awaitType("subscribed");
            socket.pause();
            for (int i = 0; i < sent; i++) {
                socket.send(command("m" + i, "conversation.messages", new JsonObject().put("conversationId", conversation)));
            }
            Eventually.await("the socket cut as a slow consumer", Duration.ofSeconds(30),
                    () -> counter("relais_ws_slow_consumers_total"), cut -> cut > cutBefore);
            double outAtCut = counter("relais_ws_frames_out_total");
            double inAtCut = counter("relais_ws_frames_in_total");
            for (int i = 0; i < 20; i++) {
                socket.send(command("late" + i, "conversation.messages", new JsonObject().put("conversationId", conversation)));
            }
            Eventually.await("the late commands received", Duration.ofSeconds(15),
                    () -> counter("relais_ws_frames_in_total"), in -> in >= inAtCut + 20);
            assertEquals(outAtCut, counter("relais_ws_frames_out_total"), "nothing is written for a socket once it is cut");
            socket.resume();
            assertEquals(CloseCodes.SLOW_CONSUMER, socket.awaitClose());
            long results = socket.frames().stream().filter(frame -> "result".equals(frame.getString("type"))).count();
            assertTrue(results < sent, results + " replies of " + sent + " reached the client before the cut");
        }
    }

    private static String startConversation(Person doctor, Person patient, String body) {
        Response started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", body)));
        assertEquals(201, started.status(), started.body());
        return started.json().getString("conversationId");
    }

    private static JsonObject command(String id, String op, JsonObject args) {
        return new JsonObject().put("type", "command").put("id", id).put("op", op).put("args", args);
    }

    private static double counter(String name) {
        Matcher counter = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(hub.http().get("/metrics").body());
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }
}
