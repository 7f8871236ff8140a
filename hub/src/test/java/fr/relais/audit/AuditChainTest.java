package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.identity.account.Provisioning;
import fr.relais.testing.Eventually;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log is append-only, hash-chained under a key and checkpointed; {@code relais audit verify} finds what
 * someone with write access to the database (but not the master key nor the node's disk) changed behind the hub's back.
 */
class AuditChainTest {
    private static final Duration CHECKPOINT_EVERY = Duration.ofMinutes(1);

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("audit.checkpointEvery", CHECKPOINT_EVERY.toMinutes() + "m");

    @BeforeEach
    void someActivityCheckpointedThenPutAside() {
        hub.people().patient("Audited");
        hub.people().professional("Dr Audit", "physician");
        allChained();
        checkpointNow();
        tampering().snapshot();
    }

    @AfterEach
    void putTheLogBack() {
        tampering().restore();
    }

    @Test
    void anIntactLogVerifies() throws Exception {
        long rows = hub.sql().count("SELECT count(*) FROM audit_log");
        long checkpoints = hub.sql().count("SELECT count(*) FROM audit_checkpoint");
        assertTrue(rows >= 6, "account creations, activations, password steps and logins are audited: " + rows);
        assertEquals("audit chain intact: " + rows + " rows, all keyed; 0 event(s) pending; " + checkpoints + " checkpoint(s) verified",
                verify(0));
    }

    @Test
    void theTablesRefuseUpdatesAndDeletes() {
        Map<String, String> columns = Map.of("audit_log", "outcome", "audit_checkpoint", "taken_at",
                "audit_pending", "outcome", "audit_quarantine", "outcome");
        columns.forEach((table, column) -> {
            IllegalStateException update = assertThrows(IllegalStateException.class,
                    () -> hub.sql().execute("UPDATE " + table + " SET " + column + " = " + column));
            assertTrue(update.getMessage().contains(" is append-only"), update.getMessage());
            IllegalStateException delete = assertThrows(IllegalStateException.class,
                    () -> hub.sql().execute("DELETE FROM " + table + " WHERE false"));
            assertTrue(delete.getMessage().contains(" is append-only"), delete.getMessage());
        });
    }

    @Test
    void aRowRewrittenWithEveryLaterHashRecomputedIsFound() throws Exception {
        short c = longestChain();
        tampering().rewriteOutcome(c, 2, "failure", false);
        String report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: chain " + c + ", row 2 was altered"), report);
    }

    @Test
    void rewrittenRowsPassedOffAsWrittenBeforeKeysAreFound() throws Exception {
        short c = longestChain();
        tampering().rewriteOutcome(c, 2, "failure", true);
        String report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: chain " + c + ", row 2 claims to be unkeyed"), report);

        tampering().moveKeyedFromPastTheEnd(c);
        report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: chain " + c + ": its head says rows are keyed from row "), report);
        assertTrue(report.endsWith("signed row 1"), report);
    }

    @Test
    void rowsDroppedFromTheEndWithTheHeadMovedBackAreFound() throws Exception {
        short c = longestChain();
        long last = hub.sql().count("SELECT max(seq) FROM audit_log WHERE chain = ?", c);
        tampering().dropNewest(c, 2);
        String report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: chain " + c + " ends at row " + (last - 2) + ", but checkpoint "), report);
        assertTrue(report.endsWith("signed it up to row " + last + ": rows were removed"), report);

        tampering().deleteCheckpoints();
        String withoutTheTablesCheckpoints = verify(1);
        assertEquals(report, withoutTheTablesCheckpoints, "this node's checkpoint file still has them");
        assertTrue(lastRun.contains("is missing from the database"), lastRun);
    }

    @Test
    void aForgedCheckpointSignatureIsFound() throws Exception {
        String latest = hub.sql().rows("SELECT id FROM audit_checkpoint ORDER BY taken_at DESC LIMIT 1").get(0).get("id").toString();
        tampering().forgeLatestCheckpointSignature();
        String report = verify(1);
        assertTrue(report.startsWith("audit chain BROKEN: checkpoint " + latest), report);
        assertTrue(report.endsWith("in the database has a signature that does not verify"), report);
    }

    @Test
    void withAnotherMasterKeyVerifyRefusesToStartAndSaysWhy() throws Exception {
        verify(1, Files.createTempDirectory(Path.of("target"), "other-secrets"));
        assertTrue(lastRun.contains("cannot be opened: is secrets.masterKey the one"), lastRun);
    }

    @Test
    void aClosedSpaceLeavesNoRawIdentifierInTheAuditTablesAndStillVerifies() throws Exception {
        String ins = People.insNumber();
        String email = "closing-" + UUID.randomUUID() + "@example.fr";
        Provisioning.Created created = hub.hub().identity().provisioning().addPatient("test", new JsonObject()
                .put("ins", ins).put("email", email).put("displayName", "Closing")).await();
        Person patient = hub.people().activateAndLogIn(created);
        Person doctor = hub.people().professional("Dr Reader", "physician");
        hub.people().treats(doctor, patient);
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id()).status());
        assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());
        allChained();

        List<Map<String, Object>> columns = hub.sql().rows("""
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name LIKE 'audit%'
                  AND data_type IN ('text', 'uuid', 'jsonb', 'character varying')""");
        assertTrue(columns.size() >= 5, columns.toString());
        for (Map<String, Object> column : columns) {
            for (String identifier : List.of(patient.id().toString(), ins, email)) {
                long found = hub.sql().count("SELECT count(*) FROM " + column.get("table_name") + " WHERE "
                        + column.get("column_name") + "::text ILIKE '%' || ? || '%'", identifier);
                assertEquals(0, found, column + " holds " + identifier);
            }
        }
        UUID pseudonym = hub.hub().audit().log().pseudonym(patient.id());
        assertEquals(1, hub.sql().count("SELECT count(*) FROM audit_log WHERE action = 'space.close' AND patient_id = ?", pseudonym),
                "the closing is still found under the patient's pseudonym");
        assertTrue(verify(0).startsWith("audit chain intact"));
    }

    /** Waits until the chainer has moved every appended event into the chains. */
    private static void allChained() {
        Eventually.await("no audit event pending", Duration.ofSeconds(20),
                () -> hub.sql().count("SELECT count(*) FROM audit_pending"), count -> count == 0);
    }

    /** Moves the hub's clock past the checkpoint interval and waits for the checkpoint that follows. */
    private static void checkpointNow() {
        long before = hub.sql().count("SELECT count(*) FROM audit_checkpoint");
        hub.clock().advance(CHECKPOINT_EVERY);
        Eventually.await("a new audit checkpoint", Duration.ofSeconds(20),
                () -> hub.sql().count("SELECT count(*) FROM audit_checkpoint"), count -> count > before);
    }

    private static short longestChain() {
        return ((Number) hub.sql().rows("SELECT chain FROM audit_log GROUP BY chain ORDER BY max(seq) DESC, chain LIMIT 1")
                .get(0).get("chain")).shortValue();
    }

    private static AuditTampering tampering() {
        return new AuditTampering(hub.hub().database());
    }

    private static String lastRun = "";

    /** Runs {@code relais audit verify} as an operator would, and returns its verdict (its last line). */
    private static String verify(int expectedExit) throws Exception {
        return verify(expectedExit, hub.config().secrets().dir());
    }

    private static String verify(int expectedExit, Path secrets) throws Exception {
        AuditVerifyRun.Output run = AuditVerifyRun.verify(hub, hub.hub().database(), secrets, expectedExit);
        lastRun = run.text();
        return run.verdict();
    }
}
