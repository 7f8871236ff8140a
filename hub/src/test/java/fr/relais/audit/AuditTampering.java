package fr.relais.audit;

import fr.relais.db.DatabaseEndpoint;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What someone with write access to the database (and without the master key) can do to the audit tables:
 * switch the append-only triggers off, rewrite rows, recompute hashes with the old public algorithm, drop rows,
 * move heads, alter or copy pending events. {@link #snapshot} and {@link #restore} put the chains and checkpoints
 * back as they were, so that each test tampers with an intact log. While it works it holds the chainer's lock, as a
 * node that is chaining would: no hub moves pending events meanwhile.
 */
final class AuditTampering {
    private static final List<String> TABLES = List.of("audit_log", "audit_head", "audit_checkpoint");

    private final DatabaseEndpoint endpoint;

    AuditTampering(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Copies the audit tables aside (in tables that are not audit tables). */
    void snapshot() {
        run(c -> {
            for (String table : TABLES) {
                execute(c, "DROP TABLE IF EXISTS tamper_backup_" + table);
                execute(c, "CREATE TABLE tamper_backup_" + table + " AS TABLE " + table);
            }
        });
    }

    /** Puts back what {@link #snapshot} copied. */
    void restore() {
        run(c -> {
            for (String table : TABLES) {
                execute(c, "ALTER TABLE " + table + " DISABLE TRIGGER USER");
                execute(c, "DELETE FROM " + table);
                execute(c, "INSERT INTO " + table + " SELECT * FROM tamper_backup_" + table);
                execute(c, "ALTER TABLE " + table + " ENABLE TRIGGER USER");
                execute(c, "DROP TABLE tamper_backup_" + table);
            }
        });
    }

    /**
     * Sets {@code outcome} of one row and recomputes, with plain SHA-256 as the log did before it was keyed, that
     * row's hash and every later one of its chain, then the chain's head. With {@code passOffAsUnkeyed}, those rows
     * are also marked as hashed before keys existed.
     */
    void rewriteOutcome(short chain, long seq, String outcome, boolean passOffAsUnkeyed) {
        run(c -> {
            execute(c, "ALTER TABLE audit_log DISABLE TRIGGER USER");
            try (PreparedStatement update = c.prepareStatement("UPDATE audit_log SET outcome = ? WHERE chain = ? AND seq = ?");
                 PreparedStatement unkeyed = c.prepareStatement("UPDATE audit_log SET alg = 1 WHERE chain = ? AND seq >= ?")) {
                update.setString(1, outcome);
                update.setShort(2, chain);
                update.setLong(3, seq);
                update.executeUpdate();
                if (passOffAsUnkeyed) {
                    unkeyed.setShort(1, chain);
                    unkeyed.setLong(2, seq);
                    unkeyed.executeUpdate();
                }
            }
            byte[] previous = hashBefore(c, chain, seq);
            try (PreparedStatement rows = c.prepareStatement("""
                    SELECT seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details::text
                    FROM audit_log WHERE chain = ? AND seq >= ? ORDER BY seq""");
                 PreparedStatement rehash = c.prepareStatement(
                         "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE chain = ? AND seq = ?")) {
                rows.setShort(1, chain);
                rows.setLong(2, seq);
                try (ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent event = new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                AuditChain.uuidOrNull(rs.getObject(7)), rs.getString(8), new JsonObject(rs.getString(9)));
                        byte[] hash = AuditChain.unkeyed(previous, chain, rs.getLong(1),
                                rs.getObject(2, OffsetDateTime.class).toInstant(), event);
                        rehash.setBytes(1, previous);
                        rehash.setBytes(2, hash);
                        rehash.setShort(3, chain);
                        rehash.setLong(4, rs.getLong(1));
                        rehash.executeUpdate();
                        previous = hash;
                    }
                }
            }
            execute(c, "ALTER TABLE audit_log ENABLE TRIGGER USER");
            moveHead(c, chain);
        });
    }

    /** Deletes the newest {@code count} rows of a chain and moves its head back to the row now last. */
    void dropNewest(short chain, int count) {
        run(c -> {
            execute(c, "ALTER TABLE audit_log DISABLE TRIGGER USER");
            try (PreparedStatement delete = c.prepareStatement("""
                    DELETE FROM audit_log WHERE chain = ? AND seq > (SELECT max(seq) FROM audit_log WHERE chain = ?) - ?""")) {
                delete.setShort(1, chain);
                delete.setShort(2, chain);
                delete.setInt(3, count);
                delete.executeUpdate();
            }
            execute(c, "ALTER TABLE audit_log ENABLE TRIGGER USER");
            moveHead(c, chain);
        });
    }

    /** Says that the chain's rows are unkeyed up to its end, as if they had all been written before keys existed. */
    void moveKeyedFromPastTheEnd(short chain) {
        run(c -> {
            try (PreparedStatement head = c.prepareStatement("UPDATE audit_head SET keyed_from = seq + 1 WHERE chain = ?")) {
                head.setShort(1, chain);
                head.executeUpdate();
            }
        });
    }

    /** Replaces the signature of the latest checkpoint in the database with another one. */
    void forgeLatestCheckpointSignature() {
        run(c -> {
            execute(c, "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
            execute(c, """
                    UPDATE audit_checkpoint SET signature = sha256(signature)
                    WHERE id = (SELECT id FROM audit_checkpoint ORDER BY taken_at DESC LIMIT 1)""");
            execute(c, "ALTER TABLE audit_checkpoint ENABLE TRIGGER USER");
        });
    }

    /**
     * Sets {@code outcome} of one pending event, its MAC left as it was. The caller holds the chainer's lock
     * ({@link #holdTheChainersLock}), or the chainer may take the event first.
     */
    void rewritePendingOutcome(UUID id, String outcome) {
        runBesideTheChainer(c -> {
            execute(c, "ALTER TABLE audit_pending DISABLE TRIGGER USER");
            try (PreparedStatement update = c.prepareStatement("UPDATE audit_pending SET outcome = ? WHERE id = ?")) {
                update.setString(1, outcome);
                update.setObject(2, id);
                update.executeUpdate();
            }
            execute(c, "ALTER TABLE audit_pending ENABLE TRIGGER USER");
        });
    }

    /** Inserts a copy of a pending event, MAC included, under a new id; returns that id. The caller holds the chainer's lock. */
    UUID copyPending(UUID id) {
        UUID copy = UUID.randomUUID();
        runBesideTheChainer(c -> {
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO audit_pending (id, at, actor_kind, actor_id, action, outcome, patient_id, ip, details, mac)
                    SELECT ?, at, actor_kind, actor_id, action, outcome, patient_id, ip, details, mac
                    FROM audit_pending WHERE id = ?""")) {
                insert.setObject(1, copy);
                insert.setObject(2, id);
                insert.executeUpdate();
            }
        });
        return copy;
    }

    /** Deletes what the chainer kept out of the chains, as an operator would once they have looked into it. */
    void clearQuarantine() {
        run(c -> {
            execute(c, "ALTER TABLE audit_quarantine DISABLE TRIGGER USER");
            execute(c, "DELETE FROM audit_quarantine");
            execute(c, "ALTER TABLE audit_quarantine ENABLE TRIGGER USER");
        });
    }

    /** Deletes every checkpoint from the database (the nodes' files keep theirs). */
    void deleteCheckpoints() {
        run(c -> {
            execute(c, "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
            execute(c, "DELETE FROM audit_checkpoint");
            execute(c, "ALTER TABLE audit_checkpoint ENABLE TRIGGER USER");
        });
    }

    private static byte[] hashBefore(Connection c, short chain, long seq) throws SQLException {
        try (PreparedStatement before = c.prepareStatement("SELECT hash FROM audit_log WHERE chain = ? AND seq = ?")) {
            before.setShort(1, chain);
            before.setLong(2, seq - 1);
            try (ResultSet rs = before.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : AuditChain.GENESIS;
            }
        }
    }

    private static void moveHead(Connection c, short chain) throws SQLException {
        try (PreparedStatement head = c.prepareStatement("""
                UPDATE audit_head SET (seq, hash) = (SELECT seq, hash FROM audit_log WHERE chain = $1 ORDER BY seq DESC LIMIT 1)
                WHERE chain = $1""".replace("$1", "?::smallint"))) {
            head.setShort(1, chain);
            head.setShort(2, chain);
            head.executeUpdate();
        }
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void run(Work work) {
        runBesideTheChainer(c -> {
            holdTheChainersLock(c);
            work.run(c);
        });
    }

    private void runBesideTheChainer(Work work) {
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), endpoint.jdbcProperties())) {
            work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Until the connection closes: the session-level twin of the lock each chaining transaction tries to take. */
    static void holdTheChainersLock(Connection c) throws SQLException {
        execute(c, "SELECT pg_advisory_lock(hashtext('relais.audit.chain'))");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
