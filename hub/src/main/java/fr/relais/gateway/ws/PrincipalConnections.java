package fr.relais.gateway.ws;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many sockets each person or client holds on this node, and how many commands a system runs at once over
 * all its sockets of this node, across all gateway instances.
 */
public final class PrincipalConnections {
    private final ConcurrentHashMap<UUID, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, AtomicInteger> commands = new ConcurrentHashMap<>();

    /** Takes a place for {@code principal}; false (and nothing taken) if it already holds {@code max}. */
    boolean tryAcquire(UUID principal, int max) {
        return tryTake(counts, principal, max);
    }

    void release(UUID principal) {
        give(counts, principal);
    }

    /** Starts a command of {@code principal}; false (and nothing started) if {@code max} of its commands run. */
    boolean tryStartCommand(UUID principal, int max) {
        return tryTake(commands, principal, max);
    }

    void commandDone(UUID principal) {
        give(commands, principal);
    }

    private static boolean tryTake(ConcurrentHashMap<UUID, AtomicInteger> counts, UUID principal, int max) {
        AtomicInteger count = counts.computeIfAbsent(principal, id -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            give(counts, principal);
            return false;
        }
        return true;
    }

    private static void give(ConcurrentHashMap<UUID, AtomicInteger> counts, UUID principal) {
        counts.computeIfPresent(principal, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
