package fr.relais.audit;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Walks one chain in order: numbering, links, each row's hash (keyed, or unkeyed only before the chain's
 * {@code keyed_from}), the row its furthest checkpoint signed, and that the chain and its head still reach that far.
 * Stops at the first problem. Blocking.
 */
final class ChainWalk {
    /**
     * @param rows        rows checked
     * @param lastUnkeyed the last row hashed without a key, 0 if none
     * @param sealedUpTo  the row up to which a later keyed row or a checkpoint vouches for the chain
     */
    record Outcome(long rows, long lastUnkeyed, long sealedUpTo, Optional<String> problem) {
    }

    private record Head(long seq, byte[] hash, long keyedFrom) {
    }

    private final AuditChain hashes;
    private final short chain;
    private final Optional<CheckpointReview.Sighting> checkpoint;
    private final String where;

    private ChainWalk(AuditChain hashes, short chain, Optional<CheckpointReview.Sighting> checkpoint) {
        this.hashes = hashes;
        this.chain = chain;
        this.checkpoint = checkpoint;
        this.where = "chain " + chain;
    }

    static Outcome walk(Connection connection, AuditChain hashes, short chain, Optional<CheckpointReview.Sighting> checkpoint)
            throws SQLException {
        return new ChainWalk(hashes, chain, checkpoint).walk(connection);
    }

    private Outcome walk(Connection connection) throws SQLException {
        Head head = head(connection);
        long signedSeq = checkpoint.map(s -> s.head().seq()).orElse(0L);
        long keyedFrom = checkpoint.map(s -> s.head().keyedFrom()).orElse(head.keyedFrom());
        if (head.keyedFrom() != keyedFrom) {
            return broken(0, 0, where + ": its head says rows are keyed from row " + head.keyedFrom() + ", but "
                    + label() + " signed row " + keyedFrom);
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details::text, prev_hash, hash, alg
                FROM audit_log WHERE chain = ? ORDER BY seq""")) {
            statement.setShort(1, chain);
            statement.setFetchSize(1000);
            byte[] previous = AuditChain.GENESIS;
            long checked = 0;
            long lastUnkeyed = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    short alg = rs.getShort(12);
                    String row = where + ", row " + seq;
                    if (seq != checked + 1) {
                        return broken(checked, lastUnkeyed, where + ", row " + (checked + 1) + " is missing");
                    }
                    if (!Arrays.equals(previous, rs.getBytes(10))) {
                        return broken(checked, lastUnkeyed, row + " does not link to the row before it");
                    }
                    if (alg == AuditChain.UNKEYED && seq >= keyedFrom) {
                        return broken(checked, lastUnkeyed, row + " claims to be unkeyed, but the chain is keyed from row " + keyedFrom);
                    }
                    byte[] recomputed;
                    try {
                        recomputed = hashes.hash(alg, previous, chain, seq, rs.getObject(2, OffsetDateTime.class).toInstant(), event(rs));
                    } catch (RuntimeException unreadable) {
                        return broken(checked, lastUnkeyed, row + " was altered (it cannot be read: " + unreadable.getMessage() + ")");
                    }
                    if (!Arrays.equals(recomputed, rs.getBytes(11))) {
                        return broken(checked, lastUnkeyed, row + " was altered (its " + (alg == AuditChain.KEYED ? "keyed " : "")
                                + "hash does not match)");
                    }
                    if (seq == signedSeq && !checkpoint.get().head().hash().equals(HexFormat.of().formatHex(recomputed))) {
                        return broken(checked, lastUnkeyed, row + " is not the row " + label() + " signed");
                    }
                    if (alg == AuditChain.UNKEYED) {
                        lastUnkeyed = seq;
                    }
                    previous = recomputed;
                    checked++;
                }
            }
            if (checked < signedSeq) {
                return broken(checked, lastUnkeyed, where + " ends at row " + checked + ", but " + label() + " signed it up to row "
                        + signedSeq + ": rows were removed");
            }
            if (head.seq() != checked || !Arrays.equals(head.hash(), previous)) {
                return broken(checked, lastUnkeyed, where + ": its head is at row " + head.seq() + " but the log ends at row " + checked
                        + (head.seq() == checked ? " with another hash" : ""));
            }
            long sealedUpTo = checked > lastUnkeyed ? checked : signedSeq;
            return new Outcome(checked, lastUnkeyed, sealedUpTo, Optional.empty());
        }
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                AuditChain.uuidOrNull(rs.getObject(7)), rs.getString(8), new JsonObject(rs.getString(9)));
    }

    private Head head(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT seq, hash, keyed_from FROM audit_head WHERE chain = ?")) {
            statement.setShort(1, chain);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? new Head(rs.getLong(1), rs.getBytes(2), rs.getLong(3)) : new Head(-1, new byte[0], 1);
            }
        }
    }

    private String label() {
        return checkpoint.map(s -> s.checkpoint().label()).orElse("no checkpoint");
    }

    private static Outcome broken(long rows, long lastUnkeyed, String problem) {
        return new Outcome(rows, lastUnkeyed, 0, Optional.of(problem));
    }
}
