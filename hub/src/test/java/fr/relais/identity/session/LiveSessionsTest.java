package fr.relais.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cache's own rules, with the database read held in the test's hand, so that a read can be made to end after a
 * revocation (end to end: {@code LiveSessionCacheTest}, {@code SessionRevocationAcrossNodesTest}).
 */
class LiveSessionsTest {
    private final TestClock clock = new TestClock();
    private final Queue<Promise<Optional<Instant>>> reads = new ArrayDeque<>();
    private final LiveSessions sessions = new LiveSessions(id -> {
        Promise<Optional<Instant>> read = Promise.promise();
        reads.add(read);
        return read.future();
    }, clock, 1_000);

    @Test
    void aReadThatBeganBeforeARevocationIsNotRememberedAsLive() {
        UUID session = UUID.randomUUID();
        Future<Boolean> underWay = sessions.isLive(session);
        sessions.forget(List.of(session));
        reads.remove().complete(Optional.of(clock.instant().plus(Duration.ofDays(30)))); // it read before the commit
        assertTrue(underWay.result(), "the request that was under way was let through, as it would have been a moment earlier");

        Future<Boolean> next = sessions.isLive(session);
        assertTrue(reads.isEmpty(), "answered from memory");
        assertFalse(next.result(), "the revocation is remembered, not the read that began before it");
    }

    @Test
    void aLiveAnswerIsKeptUntilTheSessionExpiresOrTheTimeToLiveEnds() {
        UUID endingSoon = UUID.randomUUID();
        sessions.isLive(endingSoon);
        reads.remove().complete(Optional.of(clock.instant().plusSeconds(5)));
        UUID endingLate = UUID.randomUUID();
        sessions.isLive(endingLate);
        reads.remove().complete(Optional.of(clock.instant().plus(Duration.ofDays(30))));

        assertTrue(sessions.isLive(endingSoon).result());
        assertTrue(sessions.isLive(endingLate).result());
        assertTrue(reads.isEmpty(), "both answered from memory");

        clock.advance(Duration.ofSeconds(5));
        sessions.isLive(endingSoon);
        assertEquals(1, reads.size(), "read again once the session's expiry has come");
        reads.remove().complete(Optional.empty());

        clock.advance(LiveSessions.TIME_TO_LIVE);
        sessions.isLive(endingLate);
        assertEquals(1, reads.size(), "read again once the time to live has passed");
    }

    @Test
    void theMemoryStaysWithinItsBound() {
        for (int i = 0; i < 5_000; i++) {
            sessions.isLive(UUID.randomUUID());
            reads.remove().complete(Optional.of(clock.instant().plus(Duration.ofDays(30))));
        }
        assertTrue(sessions.size() <= 1_000, "held " + sessions.size());
    }
}
