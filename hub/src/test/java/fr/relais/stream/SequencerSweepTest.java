package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that commits a write and dies before its sequencer runs leaves the events in the outbox: another node's
 * sweep numbers and publishes them, in the order they were written, without any wake-up. The sequencer has a
 * connection of its own, so requests that take every connection of theirs do not hold numbering up.
 */
class SequencerSweepTest {
    private static final int POOL_SIZE = 2;

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("db.poolSize", String.valueOf(POOL_SIZE));

    @Test
    void eventsLeftInTheOutboxByANodeThatDiedAreNumberedAndDeliveredByTheSweep() {
        Person p = hub.people().patient("Orpheline");
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            // what a node's committed transaction leaves behind when the node is killed before it wakes its sequencer
            hub.sql().execute("INSERT INTO stream_outbox (recipient_id, type, data, created_at) VALUES "
                    + "('" + p.id() + "', 'document.arrived', '{\"n\":1}', now()), "
                    + "('" + p.id() + "', 'document.arrived', '{\"n\":2}', now())");
            List<Integer> arrived = socket.awaitEvents(2).stream().map(e -> e.getJsonObject("data").getInteger("n")).toList();
            assertEquals(List.of(1, 2), arrived, "both numbered, in the order written");
            assertEquals(0, hub.sql().count("SELECT count(*) FROM stream_outbox"));
        }
    }

    @Test
    void eventsAreNumberedWhileRequestsHoldEveryConnectionOfTheirPool() {
        Person p = hub.people().patient("Servie malgré la foule");
        List<SqlConnection> taken = new ArrayList<>();
        try (WsTestClient socket = WsTestClient.subscribed(hub.port(), p.accessToken(), null)) {
            socket.awaitType("subscribed");
            for (int i = 0; i < POOL_SIZE; i++) {
                taken.add(hub.hub().streams().pool().getConnection().await());
            }
            hub.sql().execute("INSERT INTO stream_outbox (recipient_id, type, data, created_at) VALUES "
                    + "('" + p.id() + "', 'document.arrived', '{\"n\":3}', now())");
            assertEquals(3, socket.awaitEvents(1).get(0).getJsonObject("data").getInteger("n"),
                    "numbered on the sequencer's own connection");
        } finally {
            taken.forEach(connection -> connection.close().await());
        }
    }
}
