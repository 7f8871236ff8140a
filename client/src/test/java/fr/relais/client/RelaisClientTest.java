package fr.relais.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.stream.StreamRetention;
import fr.relais.testing.CuttableProxy;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client against a real hub, through a TCP proxy that can cut the network: it reconnects with growing
 * waits, resumes from its cursor with exactly what it missed, reports what cannot be recovered, runs commands.
 */
class RelaisClientTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);

    private final Vertx vertx = Vertx.vertx();
    private final List<Event> received = new CopyOnWriteArrayList<>();
    private final List<JsonObject> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Cursor> gaps = new CopyOnWriteArrayList<>();
    private final List<RelaisClient.Closed> closes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void aDroppedConnectionIsRetriedWithGrowingWaitsUntilTheNetworkIsBack() throws Exception {
        Person p = hub.people().patient("Reconnecting");
        try (CuttableProxy proxy = CuttableProxy.to(hub.port())) {
            RelaisClient client = started(through(proxy, p));
            int before = proxy.connectionTimes().size();
            long cutAt = System.nanoTime();
            proxy.cut();
            Eventually.await("the client to see the connection drop", DEADLINE, closes::size, n -> n == 1);
            assertEquals(1006, closes.get(0).code(), "no close frame came: abnormal closure");
            assertFalse(client.connected());

            List<Long> tries = Eventually.await("four tries while the network is cut", DEADLINE,
                    proxy::connectionTimes, times -> times.size() >= before + 4).subList(before, before + 4);
            // each wait is drawn between half and all of a base that doubles from minBackoff: 200, 400, 800, 1600 ms
            long previous = cutAt;
            for (int i = 0; i < tries.size(); i++) {
                long waitedMillis = (tries.get(i) - previous) / 1_000_000;
                long leastWait = (MIN_BACKOFF.toMillis() << i) / 2;
                assertTrue(waitedMillis >= leastWait, "try " + (i + 1) + " came " + waitedMillis + " ms after the one before,"
                        + " expected at least " + leastWait + " ms");
                previous = tries.get(i);
            }

            proxy.restore();
            Eventually.await("the client to subscribe again", DEADLINE, subscriptions::size, n -> n == 2);
            assertTrue(client.connected());
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void afterAReconnectionItResumesFromItsCursorWithExactlyTheEventsItMissed() throws Exception {
        Person p = hub.people().patient("Resuming");
        try (CuttableProxy proxy = CuttableProxy.to(hub.port())) {
            RelaisClient client = started(through(proxy, p));
            append(p, 1, 3);
            Eventually.await("events 1 to 3", DEADLINE, received::size, n -> n == 3);
            String epoch = received.get(0).epoch();

            proxy.cut();
            Eventually.await("the client to be disconnected", DEADLINE, client::connected, connected -> !connected);
            append(p, 4, 6);
            // only what the client missed is kept: a resumption from before its cursor could not be recovered
            trimToTheNewest(3);
            proxy.restore();

            Eventually.await("the second subscription", DEADLINE, subscriptions::size, n -> n == 2);
            Eventually.await("events 4 to 6", DEADLINE, received::size, n -> n >= 6);
            assertTrue(subscriptions.get(1).getBoolean("recovered"), "resumed from its cursor: " + subscriptions.get(1));
            assertEquals(List.of(), gaps);
            assertEquals(new Cursor(epoch, 6), client.cursor());

            append(p, 7, 7);
            Eventually.await("event 7, live", DEADLINE, received::size, n -> n >= 7);
            assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(), received.stream().map(Event::offset).toList(),
                    "every event once, in order");
            assertEquals(LongStream.rangeClosed(1, 7).boxed().toList(),
                    received.stream().map(e -> e.data().getLong("n")).toList());
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void historyTrimmedWhileAwayIsReportedAsAGapAndEventsThenContinue() throws Exception {
        Person p = hub.people().patient("Away too long");
        try (CuttableProxy proxy = CuttableProxy.to(hub.port())) {
            RelaisClient client = started(through(proxy, p));
            append(p, 1, 1);
            Eventually.await("event 1", DEADLINE, received::size, n -> n == 1);
            String epoch = received.get(0).epoch();

            proxy.cut();
            Eventually.await("the client to be disconnected", DEADLINE, client::connected, connected -> !connected);
            append(p, 2, 5);
            trimToTheNewest(2); // events 2 and 3, which the client never had, are gone
            proxy.restore();

            Eventually.await("the second subscription", DEADLINE, subscriptions::size, n -> n == 2);
            assertEquals(1, gaps.size(), "the gap is reported");
            assertEquals(new Cursor(epoch, 5), gaps.get(0), "events continue after the stream's head");
            assertFalse(subscriptions.get(1).getBoolean("recovered"));
            assertEquals(new Cursor(epoch, 5), client.cursor());

            append(p, 6, 6);
            Eventually.await("event 6", DEADLINE, received::size, n -> n == 2);
            assertEquals(List.of(1L, 6L), received.stream().map(Event::offset).toList(), "nothing of the gap, then live events");
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCursorOfAnotherHistoryIsReportedAsAGapAtTheFirstSubscription() throws Exception {
        Person p = hub.people().patient("Reset");
        append(p, 1, 2);
        String epoch = hub.hub().streams().position(p.id()).await().epoch();
        RelaisClient client = started(RelaisClientOptions.of("127.0.0.1", hub.port(), p::accessToken)
                .from(new Cursor("not-" + epoch, 1)));

        assertEquals(List.of(new Cursor(epoch, 2)), gaps);
        assertEquals(List.of(), received, "nothing replayed from another history");
        append(p, 3, 3);
        Eventually.await("event 3", DEADLINE, received::size, n -> n == 1);
        assertEquals(3, received.get(0).offset());
        client.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommandGivesItsResultAndARefusalBecomesACommandExceptionWithTheCode() throws Exception {
        Person p = hub.people().patient("Commanding");
        append(p, 1, 2);
        try (CuttableProxy proxy = CuttableProxy.to(hub.port())) {
            RelaisClient client = started(through(proxy, p));

            JsonObject position = client.command("stream.position", new JsonObject(), null).await(10, TimeUnit.SECONDS);
            assertEquals(2, position.getLong("head"));
            assertEquals(hub.hub().streams().position(p.id()).await().epoch(), position.getString("epoch"));

            client.ack(2);
            Eventually.await("the acknowledgement to be stored", DEADLINE,
                    () -> command(client, "stream.position").getLong("acked"), acked -> acked == 2);

            Throwable unknown = failureOf(client.command("no.such.operation", new JsonObject(), null));
            assertEquals("unknown_operation", assertInstanceOf(CommandException.class, unknown).code());

            proxy.cut();
            Eventually.await("the client to be disconnected", DEADLINE, client::connected, connected -> !connected);
            Throwable offline = failureOf(client.command("stream.position", new JsonObject(), null));
            assertEquals("not_connected", assertInstanceOf(CommandException.class, offline).code());
            client.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedSubscriptionFailsStartWithTheCodeAndTheConnectionStaysForCommands() throws Exception {
        Person lab = hub.people().integrator("Labo sans flux", "documents:write"); // no stream:read: may not subscribe
        RelaisClient client = RelaisClient.create(vertx, RelaisClientOptions.of("127.0.0.1", hub.port(), lab::accessToken))
                .onSubscribed(subscriptions::add);

        Throwable refused = failureOf(client.start());
        assertEquals("insufficient_scope", assertInstanceOf(CommandException.class, refused).code());
        assertTrue(client.connected());
        Throwable command = failureOf(client.command("no.such.operation", new JsonObject(), null));
        assertEquals("unknown_operation", assertInstanceOf(CommandException.class, command).code(), "commands still run");
        assertEquals(List.of(), subscriptions);
        client.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aLabDepositsThroughTheClientAndHearsTheAcknowledgementThenThePatientsFirstReading() throws Exception {
        Person lab = hub.people().integrator("Labo du client Java", "documents:write", "stream:read");
        Person patient = hub.people().patient("Patiente du client Java");
        RelaisClient client = started(RelaisClientOptions.of("127.0.0.1", hub.port(), lab::accessToken));
        SystemCommands commands = new SystemCommands(client);
        JsonObject document = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Glycémie").put("careDate", "2026-11-20").put("contentType", "application/pdf")
                .put("data", java.util.Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        JsonObject deposited = commands.deposit(document, "glycemie-1").await(10, TimeUnit.SECONDS);
        JsonObject again = commands.deposit(document, "glycemie-1").await(10, TimeUnit.SECONDS);
        assertEquals(deposited.getString("id"), again.getString("id"), "a retry with the key answers the first deposit");
        assertEquals(true, again.getBoolean("replayed"));
        Throwable reused = failureOf(commands.deposit(document.copy().put("title", "Autre"), "glycemie-1"));
        assertEquals("idempotency_key_reused", assertInstanceOf(CommandException.class, reused).code());

        assertEquals(200, patient.http().get("/api/v1/documents/" + deposited.getString("id") + "/content").status());
        Eventually.await("the acknowledgement and the first reading", DEADLINE, () -> List.copyOf(received), events -> events.size() >= 2);
        assertEquals(List.of(SystemEvents.DOCUMENT_ACCEPTED, SystemEvents.DOCUMENT_OPENED), received.stream().map(Event::type).toList());
        received.forEach(event -> assertEquals(deposited.getString("id"), event.data().getString("documentId")));

        Throwable notDelegated = failureOf(commands.sendMessage(patient.id().toString(), "00000000-0000-0000-0000-000000000000",
                "Bonjour", "m-1"));
        assertEquals("insufficient_scope", assertInstanceOf(CommandException.class, notDelegated).code(),
                "messages need messages:write");
        client.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aConnectedScaleAddsMeasurementsThroughTheClientAndHearsItsPatientsProfileChange() throws Exception {
        Person patient = hub.people().patient("Patiente à la balance");
        Person app = hub.people().connectedApp(patient, "Balance connectée", "patient/Observation.read", "patient/Observation.write");
        RelaisClient client = started(RelaisClientOptions.of("127.0.0.1", hub.port(), app::accessToken));
        SystemCommands commands = new SystemCommands(client);
        JsonObject weight = new JsonObject().put("type", "weight").put("unit", "kg").put("value", 64.8)
                .put("at", hub.clock().instant().toString());
        JsonObject added = commands.addMeasurement(weight, "scale-1").await(10, TimeUnit.SECONDS);
        assertEquals(added.getString("id"), commands.addMeasurement(weight, "scale-1").await(10, TimeUnit.SECONDS).getString("id"),
                "a retry with the key adds nothing");
        Eventually.await("the patient's profile change", DEADLINE, () -> List.copyOf(received), events -> !events.isEmpty());
        assertEquals("profile.updated", received.get(0).type());
        assertEquals(added.getString("id"), received.get(0).data().getString("entryId"));
        assertEquals(1, patient.http().get("/api/v1/patients/" + patient.id() + "/profile").json().getJsonArray("measurements").size());
        client.close().await(10, TimeUnit.SECONDS);
    }

    private RelaisClient started(RelaisClientOptions options) throws Exception {
        RelaisClient client = RelaisClient.create(vertx, options).onEvent(received::add).onGap(gaps::add)
                .onSubscribed(subscriptions::add).onClosed(closes::add);
        client.start().await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    private static RelaisClientOptions through(CuttableProxy proxy, Person person) {
        return new RelaisClientOptions("127.0.0.1", proxy.port(), false, person::accessToken, null, true,
                MIN_BACKOFF, Duration.ofSeconds(2));
    }

    private static void append(Person person, int first, int last) {
        for (int n = first; n <= last; n++) {
            hub.hub().streams().append(person.id(), "message.created", new JsonObject().put("n", n)).await();
        }
    }

    /** What the hourly trim does, with {@code stream.maxEventsPerRecipient} at {@code newest}. */
    private static void trimToTheNewest(int newest) {
        Pool pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx()).build();
        try {
            assertTrue(new StreamRetention(pool, Duration.ofDays(30), newest, hub.clock()).trim().await() > 0);
        } finally {
            pool.close().await();
        }
    }

    private static JsonObject command(RelaisClient client, String op) {
        try {
            return client.command(op, new JsonObject(), null).await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer to " + op, e);
        }
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        return future.map(v -> (Throwable) null).recover(Future::succeededFuture).await(10, TimeUnit.SECONDS);
    }
}
