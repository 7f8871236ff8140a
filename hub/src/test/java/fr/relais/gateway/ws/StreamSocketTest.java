package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.stream.StreamEvent;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery over real sockets: in order, exactly once, to every device of the right person only. */
class StreamSocketTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void everyDeviceOfTheRecipientGetsItsEventsInOrderAndNobodyElseDoes() {
        Person alice = hub.people().patient("Alice");
        Person bob = hub.people().patient("Bob");
        try (WsTestClient phone = subscribe(alice, null); WsTestClient laptop = subscribe(alice, null);
             WsTestClient bobs = subscribe(bob, null)) {
            for (int i = 1; i <= 3; i++) {
                append(alice.id(), "message.created", new JsonObject().put("n", i));
            }
            append(bob.id(), "document.arrived", new JsonObject().put("n", 1));
            for (WsTestClient device : List.of(phone, laptop)) {
                List<JsonObject> events = device.awaitEvents(3);
                assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> e.getLong("offset")).toList());
                assertEquals("message.created", events.get(0).getString("type"));
                assertEquals(1, events.get(0).getJsonObject("data").getInteger("n"));
                assertTrue(events.get(0).getString("epoch").length() > 0);
            }
            List<JsonObject> bobsEvents = bobs.awaitEvents(1);
            assertEquals(1, bobsEvents.size());
            assertEquals("document.arrived", bobsEvents.get(0).getString("type"));
            assertEquals(3, phone.events().size(), "no event of Bob's reached Alice");
        }
    }

    @Test
    void reconnectingWithACursorGetsExactlyWhatWasMissedThenLiveEvents() {
        Person carol = hub.people().patient("Carol");
        JsonObject cursor;
        try (WsTestClient first = subscribe(carol, null)) {
            for (int i = 1; i <= 3; i++) {
                append(carol.id(), "message.created", new JsonObject().put("n", i));
            }
            JsonObject third = first.awaitEvents(3).get(2);
            cursor = new JsonObject().put("epoch", third.getString("epoch")).put("offset", third.getLong("offset"));
        }
        for (int i = 4; i <= 10; i++) {
            append(carol.id(), "message.created", new JsonObject().put("n", i));
        }
        try (WsTestClient again = subscribe(carol, cursor)) {
            List<JsonObject> replayed = again.awaitEvents(7);
            JsonObject subscribed = again.awaitType("subscribed");
            assertTrue(subscribed.getBoolean("recovered"));
            assertEquals(10, subscribed.getLong("offset"));
            append(carol.id(), "message.created", new JsonObject().put("n", 11));
            List<JsonObject> all = again.awaitEvents(8);
            assertEquals(LongStream.rangeClosed(4, 11).boxed().toList(), all.stream().map(e -> e.getLong("offset")).toList());
            assertEquals(7, replayed.size());
        }
    }

    @Test
    void aCursorTakenBeforeTheStreamsFirstEventRecoversThatEvent() {
        Person hugo = hub.people().patient("Hugo");
        JsonObject cursor;
        try (WsTestClient first = WsTestClient.subscribed(hub.port(), hugo.accessToken(), null)) {
            JsonObject subscribed = first.awaitType("subscribed"); // the stream does not exist yet: epoch ""
            cursor = new JsonObject().put("epoch", subscribed.getString("epoch")).put("offset", subscribed.getLong("offset"));
        }
        assertEquals(new JsonObject().put("epoch", "").put("offset", 0), cursor);
        append(hugo.id(), "message.created", new JsonObject().put("n", 1)); // while away: the stream begins
        try (WsTestClient again = subscribe(hugo, cursor)) {
            assertEquals(1, again.awaitEvents(1).get(0).getLong("offset"));
            assertTrue(again.awaitType("subscribed").getBoolean("recovered"));
        }
    }

    @Test
    void concurrentWritersToOneRecipientGetGapFreeOffsetsDeliveredInOrder() {
        Person dan = hub.people().patient("Dan");
        try (WsTestClient socket = subscribe(dan, null)) {
            List<Future<StreamEvent>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                writes.add(hub.hub().streams().append(dan.id(), "message.created", new JsonObject().put("n", i)));
            }
            Future.all(writes).await();
            List<Long> offsets = writes.stream().map(w -> w.result().offset()).sorted().toList();
            assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), offsets, "each offset once, none missing");
            List<JsonObject> received = socket.awaitEvents(200);
            assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), received.stream().map(e -> e.getLong("offset")).toList());
        }
    }

    @Test
    void aRolledBackAppendLeavesNoGap() {
        Person erin = hub.people().patient("Erin");
        append(erin.id(), "message.created", new JsonObject());
        hub.hub().streams().withTransaction(tx -> tx.append(erin.id(), "message.created", new JsonObject())
                .compose(e -> Future.failedFuture(new IllegalStateException("the feature's write failed")))).otherwiseEmpty().await();
        assertEquals(2, append(erin.id(), "message.created", new JsonObject()).offset());
    }

    @Test
    void acknowledgementsAreStored() {
        Person fay = hub.people().patient("Fay");
        try (WsTestClient socket = subscribe(fay, null)) {
            append(fay.id(), "message.created", new JsonObject());
            append(fay.id(), "message.created", new JsonObject());
            socket.awaitEvents(2);
            socket.send(new JsonObject().put("type", "ack").put("offset", 2));
            Eventually.await("the acknowledgement stored", Duration.ofSeconds(10),
                    () -> hub.sql().count("SELECT acked FROM stream WHERE recipient_id = ?", fay.id()), acked -> acked == 2);
            socket.send(new JsonObject().put("type", "ack").put("offset", 99));
            assertEquals("invalid_ack", socket.awaitType("error").getString("code"));
        }
    }

    @Test
    void aSubscriptionWithoutCursorStartsAtTheHeadAndAStaleEpochIsNotRecovered() {
        Person gus = hub.people().patient("Gus");
        append(gus.id(), "message.created", new JsonObject());
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), gus.accessToken(), null)) {
            JsonObject subscribed = socket.awaitType("subscribed");
            assertEquals(1, subscribed.getLong("offset"));
            assertTrue(socket.events().isEmpty(), "history is not replayed without a cursor");
        }
        try (WsTestClient socket = subscribe(gus, new JsonObject().put("epoch", "another-epoch").put("offset", 0))) {
            JsonObject subscribed = socket.awaitType("subscribed");
            assertFalse(subscribed.getBoolean("recovered"));
            assertEquals(1, subscribed.getLong("offset"));
        }
    }

    @Test
    void aCursorWithANegativeFractionalOrHugeOffsetIsInvalidAndTheSocketMayTryAgain() {
        Person ivy = hub.people().patient("Ivy");
        String epoch = hub.hub().streams().position(ivy.id()).await().epoch();
        // just past 2^63-1, written as an integer, a double or a decimal: a check through a double let these in
        for (Object offset : new Object[] {-1, -999_999_999_999L, 1.5, 1e30, new java.math.BigInteger("9223372036854775808"),
                9.223372036854775807E18, new java.math.BigDecimal("9223372036854775807.5")}) {
            try (WsTestClient socket = subscribe(ivy, new JsonObject().put("epoch", epoch).put("offset", offset))) {
                assertEquals("invalid_cursor", socket.awaitType("error").getString("code"), "offset " + offset);
                socket.send(new JsonObject().put("type", "subscribe"));
                socket.awaitType("subscribed");
            }
        }
    }

    /** A subscribed socket; without a cursor it waits for "subscribed", so that every later event reaches it. */
    static WsTestClient subscribe(Person person, JsonObject cursor) {
        WsTestClient client = WsTestClient.subscribed(hub.port(), person.accessToken(), cursor);
        if (cursor == null) {
            client.awaitType("subscribed");
        }
        return client;
    }

    static StreamEvent append(UUID recipient, String type, JsonObject data) {
        return hub.hub().streams().append(recipient, type, data).await();
    }
}
