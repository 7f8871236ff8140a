package fr.relais.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the events that are in no chain: the MAC of each one still pending, and every one the chainer kept out
 * because its MAC did not match. Blocking.
 */
final class PendingReview {
    /** @param pending events waiting for the chainer */
    record Outcome(long pending, List<String> problems) {
    }

    private PendingReview() {
    }

    static Outcome review(Connection connection, PendingSeal seal) throws SQLException {
        List<String> problems = new ArrayList<>();
        long pending = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + PendingEvent.COLUMNS + " FROM audit_pending ORDER BY position")) {
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pending++;
                    if (!holds(rs, seal)) {
                        problems.add("pending event " + rs.getString("id") + " (appended " + appendedAt(rs)
                                + ") was altered or forged: its MAC does not match");
                    }
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, at, quarantined_at FROM audit_quarantine ORDER BY position");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                problems.add("event " + rs.getString("id") + " (appended " + appendedAt(rs) + ") was kept out of the chains at "
                        + rs.getObject("quarantined_at", OffsetDateTime.class).toInstant()
                        + ": its MAC did not match, so it was altered or forged in the database (see audit_quarantine)");
            }
        }
        return new Outcome(pending, List.copyOf(problems));
    }

    private static boolean holds(ResultSet rs, PendingSeal seal) throws SQLException {
        try {
            return seal.holds(PendingEvent.from(rs));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static String appendedAt(ResultSet rs) throws SQLException {
        return String.valueOf(rs.getObject("at", OffsetDateTime.class).toInstant());
    }
}
