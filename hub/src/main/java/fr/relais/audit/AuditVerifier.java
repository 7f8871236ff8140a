package fr.relais.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code relais audit verify} checks: the checkpoints (signatures, and this node's file against the database),
 * every chain in order (see {@link ChainWalk}), then the events in no chain yet (see {@link PendingReview}). Rows hashed before the log was keyed are named, with whether a
 * later keyed row or a checkpoint vouches for them. Blocking.
 */
public final class AuditVerifier {
    /** The outcome: rows checked, notes for the operator, and what is broken (empty if nothing). */
    public record Result(long rowsChecked, long unkeyedRows, long pendingEvents, int checkpoints, List<String> notes,
                         List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }

        /** One line: intact with what was checked, or the first problem. */
        public String verdict() {
            if (!intact()) {
                return "audit chain BROKEN: " + problems.get(0);
            }
            return "audit chain intact: " + rowsChecked + " rows, " + (unkeyedRows == 0 ? "all keyed"
                    : unkeyedRows + " of them unkeyed (see above)") + "; " + pendingEvents + " event(s) pending; "
                    + checkpoints + " checkpoint(s) verified";
        }
    }

    private final AuditChain hashes;
    private final PendingSeal seal;
    private final CheckpointSigner signer;
    private final CheckpointFile file;

    AuditVerifier(AuditChain hashes, PendingSeal seal, CheckpointSigner signer, CheckpointFile file) {
        this.hashes = hashes;
        this.seal = seal;
        this.signer = signer;
        this.file = file;
    }

    public Result verify(Connection connection) throws SQLException, IOException {
        connection.setAutoCommit(false); // lets the driver stream rows with a fetch size
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot for checkpoints and chains
        try {
            CheckpointReview.Outcome checkpoints = CheckpointReview.review(connection, signer, file);
            List<String> notes = new ArrayList<>(checkpoints.notes());
            List<String> problems = new ArrayList<>();
            long rows = 0;
            long unkeyed = 0;
            for (short chain = 0; chain < AuditChain.CHAINS; chain++) {
                ChainWalk.Outcome walked = ChainWalk.walk(connection, hashes, chain,
                        Optional.ofNullable(checkpoints.furthest().get((int) chain)));
                rows += walked.rows();
                walked.problem().ifPresent(problems::add);
                if (walked.lastUnkeyed() > 0) {
                    unkeyed += walked.lastUnkeyed();
                    notes.add(unkeyedNote(chain, walked));
                }
            }
            PendingReview.Outcome pending = PendingReview.review(connection, seal);
            problems.addAll(pending.problems());
            problems.addAll(checkpoints.problems());
            return new Result(rows, unkeyed, pending.pending(), checkpoints.valid(), notes, problems);
        } finally {
            connection.rollback();
        }
    }

    private static String unkeyedNote(short chain, ChainWalk.Outcome walked) {
        String rows = "chain " + chain + ", rows 1-" + walked.lastUnkeyed() + ": hashed without a key (written before keyed hashing)";
        if (walked.sealedUpTo() >= walked.lastUnkeyed()) {
            return rows + "; a later keyed row or a checkpoint vouches for them";
        }
        return rows + "; rows " + (walked.sealedUpTo() + 1) + "-" + walked.lastUnkeyed()
                + " are vouched for by nothing yet (the next checkpoint will)";
    }
}
