package fr.relais.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that commits a write and dies before its sequencer runs leaves the events in the outbox: another node's
 * sweep numbers and publishes them, in the order they were written, without any wake-up.
 */
class SequencerSweepTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

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
}
