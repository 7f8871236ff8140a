package fr.relais.identity.session;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's memory of which sessions are live, so that authenticating a request needs no database round trip.
 * A miss reads the database once and remembers the answer until the session expires, and never longer than
 * {@link #TIME_TO_LIVE} (so a revocation this node missed on the event bus is honoured after that). Revocations
 * are {@link #forget forgotten} at once, and remembered as "not live": a revoked session never comes back.
 * Shared by every event loop of the node.
 */
public final class LiveSessions {
    /** The longest a node answers from memory: the bound on honouring a revocation it was never told about. */
    public static final Duration TIME_TO_LIVE = Duration.ofSeconds(30);
    static final int MAX_ENTRIES = 100_000;

    /** Reads whether a session is live: until when, or empty if it is not (revoked, expired, unknown, disabled). */
    @FunctionalInterface
    interface Lookup {
        Future<Optional<Instant>> liveUntil(UUID sessionId);
    }

    private record Answer(boolean live, Instant until) {
    }

    private final ConcurrentHashMap<UUID, Answer> answers = new ConcurrentHashMap<>();
    /** Counts revocations heard: a read that began before one may have seen the session live, and is not kept as such. */
    private final AtomicLong revocations = new AtomicLong();
    private final Lookup lookup;
    private final Clock clock;
    private final int maxEntries;

    LiveSessions(Lookup lookup, Clock clock, int maxEntries) {
        this.lookup = lookup;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    public Future<Boolean> isLive(UUID sessionId) {
        Instant now = clock.instant();
        Answer known = answers.get(sessionId);
        if (known != null && now.isBefore(known.until())) {
            return Future.succeededFuture(known.live());
        }
        long revocationsBefore = revocations.get();
        return lookup.liveUntil(sessionId).map(until -> {
            boolean live = until.isPresent() && now.isBefore(until.get());
            Instant bound = now.plus(TIME_TO_LIVE);
            remember(sessionId, new Answer(live, live && until.get().isBefore(bound) ? until.get() : bound), revocationsBefore);
            return live;
        });
    }

    /** These sessions have ended: they are not live from now on, whatever a read under way finds. */
    public void forget(Collection<UUID> revoked) {
        revocations.incrementAndGet(); // before the entries: a read that checks after sees the change, one before is overwritten
        Answer ended = new Answer(false, clock.instant().plus(TIME_TO_LIVE));
        for (UUID sessionId : revoked) {
            answers.put(sessionId, ended);
        }
    }

    int size() {
        return answers.size();
    }

    private void remember(UUID sessionId, Answer answer, long revocationsBefore) {
        if (answers.size() >= maxEntries) {
            makeRoom();
        }
        // atomic for this session with forget's put: a "live" read overlapping a revocation is dropped
        answers.compute(sessionId, (id, old) -> answer.live() && revocations.get() != revocationsBefore ? old : answer);
    }

    /** Drops what has expired, then, if that is not enough, any tenth: forgotten answers are only read again. */
    private void makeRoom() {
        Instant now = clock.instant();
        answers.values().removeIf(answer -> !now.isBefore(answer.until()));
        int excess = answers.size() - maxEntries * 9 / 10;
        for (Iterator<UUID> ids = answers.keySet().iterator(); excess > 0 && ids.hasNext(); excess--) {
            ids.next();
            ids.remove();
        }
    }
}
