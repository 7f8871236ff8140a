package fr.relais.gateway.ws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sockets of one gateway instance, by subscribed recipient and by session. Used only from the instance's
 * event loop, so it needs no locking.
 */
final class ConnectionRegistry {
    private final Set<Connection> all = new LinkedHashSet<>();
    private final Map<UUID, List<Connection>> byRecipient = new HashMap<>();
    private final Map<UUID, List<Connection>> bySession = new HashMap<>();

    void add(Connection connection) {
        all.add(connection);
    }

    void authenticated(Connection connection, UUID session) {
        bySession.computeIfAbsent(session, id -> new ArrayList<>(1)).add(connection);
    }

    void changeSession(Connection connection, UUID from, UUID to) {
        if (!from.equals(to)) {
            removeFrom(bySession, from, connection);
            authenticated(connection, to);
        }
    }

    void subscribe(Connection connection, UUID recipient) {
        byRecipient.computeIfAbsent(recipient, id -> new ArrayList<>(1)).add(connection);
    }

    void remove(Connection connection, UUID recipient, UUID session) {
        all.remove(connection);
        if (recipient != null) {
            removeFrom(byRecipient, recipient, connection);
        }
        if (session != null) {
            removeFrom(bySession, session, connection);
        }
    }

    List<Connection> subscribers(UUID recipient) {
        return byRecipient.getOrDefault(recipient, List.of());
    }

    List<Connection> ofSession(UUID session) {
        return List.copyOf(bySession.getOrDefault(session, List.of()));
    }

    List<Connection> all() {
        return List.copyOf(all);
    }

    private static void removeFrom(Map<UUID, List<Connection>> index, UUID key, Connection connection) {
        List<Connection> list = index.get(key);
        if (list != null) {
            list.remove(connection);
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
