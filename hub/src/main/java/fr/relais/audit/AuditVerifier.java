package fr.relais.audit;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;

/** Walks the whole audit chain in order and reports the first row whose hash or link does not hold. Blocking. */
public final class AuditVerifier {
    /** The outcome: how many rows were checked, and the first broken one if any. */
    public record Result(long rowsChecked, Optional<Long> firstBrokenSeq, String problem) {
        public boolean intact() {
            return firstBrokenSeq.isEmpty();
        }
    }

    private AuditVerifier() {
    }

    public static Result verify(Connection connection) throws SQLException {
        connection.setAutoCommit(false); // lets the driver stream rows with a fetch size
        try {
            long checked = 0;
            for (short chain = 0; chain < AuditChain.CHAINS; chain++) {
                Result result = verifyChain(connection, chain);
                checked += result.rowsChecked();
                if (!result.intact()) {
                    return new Result(checked, result.firstBrokenSeq(), result.problem());
                }
            }
            return new Result(checked, Optional.empty(), "");
        } finally {
            connection.rollback();
        }
    }

    private static Result verifyChain(Connection connection, short chain) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT seq, at, actor_kind, actor_id, action, outcome, patient_id, ip, details::text, prev_hash, hash
                FROM audit_log WHERE chain = ? ORDER BY seq""")) {
            statement.setShort(1, chain);
            statement.setFetchSize(1000);
            byte[] previous = AuditChain.GENESIS;
            long expectedSeq = 1;
            long checked = 0;
            String where = "chain " + chain + ", row ";
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expectedSeq) {
                        return new Result(checked, Optional.of(expectedSeq), where + expectedSeq + " is missing");
                    }
                    if (!Arrays.equals(previous, rs.getBytes(10))) {
                        return new Result(checked, Optional.of(seq), where + seq + " does not link to the row before it");
                    }
                    AuditEvent event = new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            AuditChain.uuidOrNull(rs.getObject(7)), rs.getString(8), new JsonObject(rs.getString(9)));
                    byte[] recomputed = AuditChain.hash(previous, chain, seq, rs.getObject(2, OffsetDateTime.class).toInstant(), event);
                    if (!Arrays.equals(recomputed, rs.getBytes(11))) {
                        return new Result(checked, Optional.of(seq), where + seq + " was altered (its hash does not match)");
                    }
                    previous = recomputed;
                    expectedSeq++;
                    checked++;
                }
            }
            try (PreparedStatement head = connection.prepareStatement("SELECT seq FROM audit_head WHERE chain = ?")) {
                head.setShort(1, chain);
                try (ResultSet rs = head.executeQuery()) {
                    long headSeq = rs.next() ? rs.getLong(1) : 0;
                    if (headSeq != checked) {
                        return new Result(checked, Optional.of(checked + 1),
                                where + (checked + 1) + ": the chain's head is at row " + headSeq + " but the log ends at row " + checked);
                    }
                }
            }
            return new Result(checked, Optional.empty(), "");
        }
    }
}
