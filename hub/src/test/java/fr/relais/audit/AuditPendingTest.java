package fr.relais.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.CapturedLogs;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An audited write appends one sealed event and locks nothing the next write about the same person needs; the chainer
 * then moves events into the chains, each once, keeping out any it finds altered.
 */
class AuditPendingTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @RegisterExtension
    static final CapturedLogs logs = CapturedLogs.atDebug();

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static Pool pool;

    @BeforeAll
    static void ownPool() {
        pool = PgBuilder.pool().connectingTo(hub.hub().database().connectOptions()).using(hub.hub().vertx()).build();
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close().await();
        }
    }

    @Test
    void aTransactionHeldOpenAfterAuditingAPatientDelaysNoOtherAuditedWriteAboutThem() throws Exception {
        Person patient = hub.people().patient("Tenue");
        Person doctor = hub.people().professional("Dr Attente", "physician");
        hub.people().treats(doctor, patient);
        String run = UUID.randomUUID().toString();

        SqlConnection held = pool.getConnection().await();
        Transaction open = held.begin().await();
        try {
            log().append(held, event(run, "held", 0).patient(patient.id())).await();

            Response read = atOnce("the doctor's audited read of the patient",
                    CompletableFuture.supplyAsync(() -> doctor.http().get("/api/v1/patients/" + patient.id())));
            assertEquals(200, read.status(), read.body());
            atOnce("another audited write about the patient",
                    log().append(event(run, "beside", 1).patient(patient.id())).toCompletionStage().toCompletableFuture());
            open.commit().await();
        } finally {
            held.close().await();
        }

        UUID pseudonym = log().pseudonym(patient.id());
        Eventually.await("the three events about the patient in the chains", DEADLINE,
                () -> hub.sql().count("""
                        SELECT count(*) FROM audit_log
                        WHERE patient_id = ? AND (details->>'run' = ? OR action = 'record.open')""", pseudonym, run),
                count -> count == 3);
        assertTrue(AuditVerifyRun.verify(hub, 0).verdict().startsWith("audit chain intact"));
    }

    @Test
    void everyEventIsChainedOnceAndAWriteThatCommittedBeforeAnotherBeganIsChainedBeforeIt() throws Exception {
        String run = UUID.randomUUID().toString();
        List<UUID> patients = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        int sequential = 30;
        for (int n = 0; n < sequential / 2; n++) { // each chained on its own, most likely
            log().append(event(run, "sequential", n).patient(patients.get(n % patients.size()))).await();
        }
        try (Connection chaining = DriverManager.getConnection(hub.hub().database().jdbcUrl(), hub.hub().database().jdbcProperties())) {
            AuditTampering.holdTheChainersLock(chaining); // these wait, then are chained in one batch
            for (int n = sequential / 2; n < sequential; n++) {
                log().append(event(run, "sequential", n).patient(patients.get(n % patients.size()))).await();
            }
        }
        int concurrent = 200;
        List<Future<Void>> writes = new ArrayList<>();
        for (int n = sequential; n < sequential + concurrent; n += 2) {
            AuditEvent first = event(run, "concurrent", n);
            AuditEvent second = event(run, "concurrent", n + 1);
            if (n % 10 != 0) { // else about nobody: chain 0, like anonymous failures
                first = first.patient(patients.get(n % patients.size()));
                second = second.patient(patients.get(n % patients.size()));
            }
            AuditEvent a = first;
            AuditEvent b = second;
            writes.add(n % 4 == 0
                    ? pool.withTransaction(tx -> log().append(tx, a).compose(v -> log().append(tx, b)))
                    : log().append(a).compose(v -> log().append(b)));
        }
        Future.all(writes).await(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        int total = sequential + concurrent;
        Eventually.await("every event of the run chained", DEADLINE,
                () -> hub.sql().count("SELECT count(*) FROM audit_log WHERE details->>'run' = ?", run), count -> count >= total);
        assertEquals(0, hub.sql().count("SELECT count(*) FROM audit_pending WHERE details->>'run' = ?", run));
        assertEquals(total, hub.sql().count("SELECT count(*) FROM audit_log WHERE details->>'run' = ?", run), "no event twice");
        assertEquals(total, hub.sql().count("SELECT count(DISTINCT details->>'n') FROM audit_log WHERE details->>'run' = ?", run));
        for (UUID patient : patients) {
            List<Integer> chained = numbers("""
                    SELECT details->>'n' AS n FROM audit_log
                    WHERE details->>'run' = ? AND action = 'test.sequential' AND patient_id = ? ORDER BY seq""",
                    run, log().pseudonym(patient));
            assertEquals(chained.stream().sorted().toList(), chained, "in the order they were written");
            assertEquals(sequential / patients.size(), chained.size());
        }
        List<Integer> pairs = numbers("""
                SELECT details->>'n' AS n FROM audit_log WHERE details->>'run' = ? AND action = 'test.concurrent'
                ORDER BY chain, seq""", run);
        for (int n = sequential; n < total; n += 2) {
            assertTrue(pairs.indexOf(n) < pairs.indexOf(n + 1), "event " + n + " was appended before " + (n + 1));
        }
        AuditVerifyRun.Output verified = AuditVerifyRun.verify(hub, 0);
        assertTrue(verified.verdict().startsWith("audit chain intact: "), verified.text());
    }

    @Test
    void aPendingEventAlteredOrCopiedInTheDatabaseIsReportedAndNeverChained() throws Exception {
        String run = UUID.randomUUID().toString();
        UUID patient = UUID.randomUUID();
        AuditTampering tampering = new AuditTampering(hub.hub().database());
        UUID altered;
        UUID copy;
        try (Connection chaining = DriverManager.getConnection(hub.hub().database().jdbcUrl(), hub.hub().database().jdbcProperties())) {
            AuditTampering.holdTheChainersLock(chaining); // as a node busy chaining would: the events stay pending
            for (int n = 0; n < 3; n++) {
                log().append(event(run, "pending", n).patient(patient)).await();
            }
            altered = pendingId(run, 1);
            tampering.rewritePendingOutcome(altered, "failure");
            copy = tampering.copyPending(pendingId(run, 2));

            AuditVerifyRun.Output whilePending = AuditVerifyRun.verify(hub, 1);
            assertTrue(whilePending.text().contains("problem: pending event " + altered), whilePending.text());
            assertTrue(whilePending.text().contains("problem: pending event " + copy), whilePending.text());
            assertTrue(whilePending.verdict().contains("was altered or forged: its MAC does not match"), whilePending.text());
        }

        Eventually.await("the run's events out of audit_pending", DEADLINE,
                () -> hub.sql().count("SELECT count(*) FROM audit_pending WHERE details->>'run' = ?", run), count -> count == 0);
        assertEquals(List.of(0, 2), numbers("SELECT details->>'n' AS n FROM audit_log WHERE details->>'run' = ? ORDER BY seq", run),
                "only the events as they were appended are chained");
        assertEquals(2, hub.sql().count("SELECT count(*) FROM audit_quarantine WHERE id IN (?, ?)", altered, copy));
        Eventually.await("the chainer's error about the altered event", DEADLINE,
                () -> logs.containing("audit event " + altered + " kept out of the chains"), lines -> !lines.isEmpty());
        try {
            AuditVerifyRun.Output afterwards = AuditVerifyRun.verify(hub, 1);
            assertTrue(afterwards.text().contains("problem: event " + altered + " (appended "), afterwards.text());
            assertTrue(afterwards.text().contains("problem: event " + copy + " (appended "), afterwards.text());
            assertTrue(afterwards.verdict().endsWith("(see audit_quarantine)"), afterwards.text());
            assertTrue(afterwards.text().lines().noneMatch(line -> line.startsWith("problem: chain")), afterwards.text());
        } finally {
            tampering.clearQuarantine();
        }
        assertTrue(AuditVerifyRun.verify(hub, 0).verdict().startsWith("audit chain intact"));
    }

    private static UUID pendingId(String run, int n) {
        return (UUID) hub.sql().rows("SELECT id FROM audit_pending WHERE details->>'run' = ? AND details->>'n' = ?", run,
                String.valueOf(n)).get(0).get("id");
    }

    private static List<Integer> numbers(String sql, Object... params) {
        return hub.sql().rows(sql, params).stream().map(row -> Integer.valueOf((String) row.get("n"))).toList();
    }

    private static <T> T atOnce(String what, CompletableFuture<T> done) throws Exception {
        try {
            return done.get(AT_ONCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete within " + AT_ONCE
                    + " while a transaction that audited the same patient was still open");
        }
    }

    private static AuditEvent event(String run, String what, int n) {
        return AuditEvent.of("system", null, "test." + what, "success").detail("run", run).detail("n", n);
    }

    private static AuditLog log() {
        return hub.hub().audit().log();
    }
}
