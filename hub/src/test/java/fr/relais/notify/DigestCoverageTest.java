package fr.relais.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offsets follow numbering, times follow the writers' clocks: an event whose transaction committed late can be
 * numbered after a newer one. A digest covers events up to an offset, so it must never cover past an event too
 * recent to be emailed yet, or that event would never be in any digest.
 */
class DigestCoverageTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aDigestNeverCoversPastAnEventTooRecentToBeEmailedEvenIfANumberAfterItIsOlder() {
        Person patient = hub.people().patient("Retardataire");
        Instant now = hub.clock().instant();
        Duration delay = hub.config().notifications().delay();
        // numbered 1: written now; numbered 2: written before the delay, by a transaction that committed late
        hub.sql().execute("INSERT INTO stream_outbox (recipient_id, type, data, created_at) VALUES "
                + "('" + patient.id() + "', 'message.created', '{}', '" + now + "'), "
                + "('" + patient.id() + "', 'message.created', '{}', '" + now.minus(delay).minus(Duration.ofHours(1)) + "')");
        hub.awaitEventsNumbered();

        hub.hub().notifications().scanOnce().await();
        assertEquals(0, digests(patient), "event 1 is too recent to email, so nothing up to offset 2 is covered yet");

        hub.emailWhatWasMissed();
        assertEquals(1, digests(patient), "once both are old enough, one digest");
        assertEquals(2L, hub.sql().rows("SELECT up_to_offset FROM outbox WHERE recipient_id = ? AND category = 'digest'",
                patient.id()).get(0).get("up_to_offset"), "covering both");
    }

    private static long digests(Person patient) {
        return hub.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ? AND category = 'digest'", patient.id());
    }
}
