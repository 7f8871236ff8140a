package fr.relais.audit;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks the checkpoints of the table and of this node's file: every signature, and that each checkpoint of the file is
 * still in the table, unchanged. Yields, per chain, the furthest head a valid checkpoint signed. Blocking.
 */
final class CheckpointReview {
    /** A chain's head as a checkpoint signed it. */
    record Sighting(Checkpoint.Head head, Checkpoint checkpoint) {
    }

    record Outcome(Map<Integer, Sighting> furthest, int valid, List<String> notes, List<String> problems) {
    }

    private final CheckpointSigner signer;
    private final CheckpointFile file;
    private final Map<Integer, Sighting> furthest = new HashMap<>();
    private final Map<UUID, byte[]> tableSignatures = new HashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int valid;

    private CheckpointReview(CheckpointSigner signer, CheckpointFile file) {
        this.signer = signer;
        this.file = file;
    }

    /**
     * Reads the file before the database: a node appends a checkpoint to its file only once the database has it, so
     * every line read is in the snapshot the first query opens, with the rows it signed (on a live node too).
     */
    static Outcome review(Connection connection, CheckpointSigner signer, CheckpointFile file) throws SQLException, IOException {
        CheckpointReview review = new CheckpointReview(signer, file);
        List<CheckpointFile.Line> lines = file.read();
        review.readTable(connection);
        review.checkFile(lines);
        return new Outcome(Map.copyOf(review.furthest), review.valid, List.copyOf(review.notes), List.copyOf(review.problems));
    }

    private void readTable(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, taken_at, heads::text, signature FROM audit_checkpoint ORDER BY taken_at, id")) {
            statement.setFetchSize(500);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Checkpoint checkpoint;
                    try {
                        checkpoint = new Checkpoint(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                Checkpoint.headsOf(new JsonArray(rs.getString(3))), rs.getBytes(4));
                    } catch (RuntimeException unreadable) {
                        problems.add("checkpoint " + rs.getString(1) + " in the database cannot be read: " + unreadable.getMessage());
                        continue;
                    }
                    tableSignatures.put(checkpoint.id(), checkpoint.signature());
                    if (accept(checkpoint)) {
                        valid++;
                    } else {
                        problems.add(checkpoint.label() + " in the database has a signature that does not verify");
                    }
                }
            }
        }
        notes.add(valid == 0 ? "no signed checkpoint in the database yet"
                : valid + " signed checkpoint(s) in the database verify");
    }

    private void checkFile(List<CheckpointFile.Line> lines) {
        if (lines.isEmpty()) {
            notes.add("no checkpoint file at " + file.path() + ": only the database's checkpoints were checked");
            return;
        }
        for (CheckpointFile.Line line : lines) {
            String where = file.path() + " line " + line.number();
            if (line.checkpoint().isEmpty()) {
                problems.add(where + " is not a checkpoint");
                continue;
            }
            Checkpoint checkpoint = line.checkpoint().get();
            byte[] inTable = tableSignatures.get(checkpoint.id());
            if (!accept(checkpoint)) {
                problems.add(checkpoint.label() + " at " + where + " has a signature that does not verify");
            } else if (inTable == null) {
                problems.add(checkpoint.label() + " at " + where + " is missing from the database");
            } else if (!MessageDigest.isEqual(inTable, checkpoint.signature())) {
                problems.add(checkpoint.label() + " differs between " + where + " and the database");
            }
        }
        notes.add(lines.size() + " checkpoint(s) in " + file.path() + " checked against the database");
    }

    /** Whether the signature holds; if it does, the heads it signed count. */
    private boolean accept(Checkpoint checkpoint) {
        if (!signer.verifies(checkpoint)) {
            return false;
        }
        for (Checkpoint.Head head : checkpoint.heads()) {
            Sighting known = furthest.get(head.chain());
            if (known == null || head.seq() > known.head().seq()) {
                furthest.put(head.chain(), new Sighting(head, checkpoint));
            }
        }
        return true;
    }
}
