package fr.relais.gateway.ws;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How many sockets each person or client holds on this node, across all gateway instances. */
public final class PrincipalConnections {
    private final ConcurrentHashMap<UUID, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Takes a place for {@code principal}; false (and nothing taken) if it already holds {@code max}. */
    boolean tryAcquire(UUID principal, int max) {
        AtomicInteger count = counts.computeIfAbsent(principal, id -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            release(principal);
            return false;
        }
        return true;
    }

    void release(UUID principal) {
        counts.computeIfPresent(principal, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
