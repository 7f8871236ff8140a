package fr.relais.loadtest;

import fr.relais.db.embedded.EmbeddedPostgres;
import fr.relais.testing.FrozenPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./loadtest/run faults [seconds per phase]}: the delivery guarantees where they are weakest, under load.
 * A professional keeps sending messages to {@value #PATIENTS} patients through both nodes of a two-node cluster
 * (retrying anything unanswered with its Idempotency-Key), and each patient holds a raw socket that counts every
 * event by offset and by message id, while one fault after the other is applied:
 * <ol>
 *   <li>replay: every reader drops its socket and resubscribes from far behind (many replay pages) while the
 *       writes go on;</li>
 *   <li>retention: the hub keeps only the newest {@value #RETAINED} events per person and trims every second;
 *       readers resubscribe from around that edge, racing the trimmer: they must be told what is gone, never skip
 *       it silently;</li>
 *   <li>crash: the second node is killed with SIGKILL under load and started again; what it took is retried on
 *       the first node;</li>
 *   <li>hang: PostgreSQL is frozen with SIGSTOP for {@code HANG}, then thawed: requests are refused 503 within a
 *       bound, sockets stay open.</li>
 * </ol>
 * At the end every acknowledged message must exist once, and have reached its patient exactly once on each
 * connection, or the hub must have said it could not replay it. The process exits with 1 otherwise.
 */
final class FaultSuite {
    static final int PATIENTS = 8;
    static final int RATE = 120;                // messages per second, over all patients
    static final int REPLAY_PAGE = 5;
    static final int RETAINED = 40;
    private static final Duration HANG = Duration.ofSeconds(20); // past db.queryTimeout (15 s): stuck queries are cut too

    private FaultSuite() {
    }

    static String bodyOf(long number) {
        return "fault message " + number;
    }

    static boolean run(int phaseSeconds) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "faults-" + System.currentTimeMillis())).toAbsolutePath();
        String run = Long.toString(System.currentTimeMillis(), 36);
        Map<String, Object> figures = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx();
        try (HubCluster cluster = HubCluster.start(dir, 2, Map.of(
                "RELAIS_WS_REPLAY_PAGE_SIZE", String.valueOf(REPLAY_PAGE),
                "RELAIS_STREAM_MAX_EVENTS_PER_RECIPIENT", String.valueOf(RETAINED),
                "RELAIS_STREAM_TRIM_EVERY", "1s"))) {
            HttpClient http = HttpClient.newHttpClient();
            PublicApi api = new PublicApi(http, cluster.httpPorts.get(0), dir.resolve("mail"));
            String admin = ConnectionsBenchmark.account(dir, cluster.environments.get(0), cluster.httpPorts.get(0),
                    "admin@bench.example", "add-admin").getString("accessToken");
            PublicApi.Account pro = api.create(admin, "professionals", new JsonObject().put("rpps", "30000000001")
                    .put("profession", "physician").put("email", "pro@bench.example").put("displayName", "Dr Faults"));
            List<PublicApi.Account> patients = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                patients.add(api.patientTreatedBy(admin, "18503759", i, "30000000001"));
                conversations.add(api.conversation(pro, patients.get(i)));
            }
            WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PATIENTS * 4));
            List<FaultReader> readers = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                readers.add(new FaultReader(vertx, sockets, i, patients.get(i).token(), cluster.httpPorts));
            }
            Future.all(readers.stream().map(FaultReader::start).toList()).await();

            try (FaultWriter writer = new FaultWriter(cluster.httpPorts, pro.token(), conversations, run)) {
                writer.start(RATE);
                DepositBenchmark.park(Duration.ofSeconds(3));
                Map<String, Object> phases = new LinkedHashMap<>();
                Map<String, Long> before = counts(writer, readers);

                everySecond(phaseSeconds, () -> readers.forEach(r -> r.rewind(6L * REPLAY_PAGE)));
                before = phase(phases, "1_replay_from_far_behind", before, writer, readers);

                everySecond(phaseSeconds, () -> readers.forEach(r -> r.rewind(RETAINED - 10 + ThreadLocalRandom.current().nextInt(40))));
                before = phase(phases, "2_retention_racing_readers", before, writer, readers);

                DepositBenchmark.park(Duration.ofSeconds(phaseSeconds / 3));
                cluster.kill(1);
                DepositBenchmark.park(Duration.ofSeconds(phaseSeconds / 3));
                long restarting = System.nanoTime();
                cluster.restart(1);
                phases.put("3_node_restart_seconds", (System.nanoTime() - restarting) / 1e9);
                DepositBenchmark.park(Duration.ofSeconds(phaseSeconds / 3));
                before = phase(phases, "3_node_killed_after_writing", before, writer, readers);

                DepositBenchmark.park(Duration.ofSeconds(2));
                long postmaster = EmbeddedPostgres.serverPid(cluster.postgresDir()).orElseThrow();
                try (FrozenPostgres frozen = FrozenPostgres.freeze(postmaster)) { // thawed when closed, or at exit
                    phases.put("4_processes_frozen", frozen.processes());
                    DepositBenchmark.park(HANG);
                }
                DepositBenchmark.park(Duration.ofSeconds(Math.max(2, phaseSeconds - 2 - HANG.toSeconds())));
                phase(phases, "4_database_hangs", before, writer, readers);

                writer.stop();
                boolean settled = writer.awaitSettled(Duration.ofMinutes(4));
                Future.all(readers.stream().map(FaultReader::resync).toList()).await(2, TimeUnit.MINUTES);
                Future.all(readers.stream().map(FaultReader::stop).toList()).await(1, TimeUnit.MINUTES);

                figures.put("phases", phases);
                figures.put("all_writes_settled", settled);
                account(figures, writer, readers, api, pro.token(), conversations);
            }
            figures.put("setup", Map.of("nodes", 2, "patients", PATIENTS, "messages_per_second", RATE, "phase_seconds", phaseSeconds,
                    "replay_page_size", REPLAY_PAGE, "events_retained_per_person", RETAINED, "hang_seconds", HANG.toSeconds()));
        } finally {
            vertx.close().await();
        }
        Results.report("faults", figures);
        boolean clean = (long) figures.get("lost") == 0 && (long) figures.get("duplicated") == 0;
        System.out.println(clean ? "faults: 0 lost, 0 duplicated" : "faults: LOST OR DUPLICATED EVENTS, see above");
        return clean;
    }

    /** The final count: what was written (read back through the API), delivered, lost and duplicated. */
    private static void account(Map<String, Object> figures, FaultWriter writer, List<FaultReader> readers, PublicApi api,
                                String token, List<String> conversations) {
        Map<Long, Integer> stored = new HashMap<>();
        for (String conversation : conversations) {
            long after = 0;
            while (true) {
                JsonObject page = api.call("GET", "/api/v1/conversations/" + conversation + "/messages?limit=200&after=" + after, token, null).join();
                var items = page.getJsonArray("items");
                if (items.isEmpty()) {
                    break;
                }
                for (int i = 0; i < items.size(); i++) {
                    JsonObject message = items.getJsonObject(i);
                    after = message.getLong("seq");
                    String body = message.getString("body");
                    if (body.startsWith("fault message ")) {
                        stored.merge(Long.parseLong(body.substring("fault message ".length())), 1, Integer::sum);
                    }
                }
            }
        }
        long acknowledgedButAbsent = writer.acknowledged.keySet().stream().filter(n -> !stored.containsKey(n)).count();
        long storedTwice = stored.values().stream().mapToLong(c -> c - 1).sum();
        long storedUnacknowledged = stored.keySet().stream().filter(n -> !writer.acknowledged.containsKey(n)).count();

        Map<Integer, Set<String>> idsByPatient = new HashMap<>();
        writer.acknowledged.values().forEach(w -> idsByPatient.computeIfAbsent(w.patient(), p -> new HashSet<>()).add(w.messageId()));
        long delivered = 0;
        long undeliveredUntold = 0;
        long told = 0;
        long skipped = 0;
        long duplicatedFrames = 0;
        long notCaughtUp = 0;
        for (FaultReader reader : readers) {
            Set<String> expected = idsByPatient.getOrDefault(reader.patient, Set.of());
            long seen = expected.stream().filter(reader.messageIds::contains).count();
            delivered += seen;
            undeliveredUntold += Math.max(0, expected.size() - seen - reader.told);
            told += reader.told;
            skipped += reader.uncovered();
            duplicatedFrames += reader.duplicates;
            notCaughtUp += reader.subscribedBehind;
        }
        figures.put("messages_attempted", writer.attempted.get());
        figures.put("messages_acknowledged", writer.acknowledged.size());
        figures.put("messages_stored", stored.size());
        figures.put("requests_refused_503", writer.refused503.get());
        figures.put("slowest_503_answer_ms", writer.slowest503Millis.get());
        figures.put("requests_without_answer", writer.connectionFailures.get());
        figures.put("requests_failed_otherwise", writer.otherFailures.get());
        figures.put("retries", writer.retries.get());
        figures.put("retries_answered_with_the_original", writer.answeredWithTheOriginal.get());
        figures.put("events_delivered", delivered);
        figures.put("events_said_lost_by_the_hub", told);
        figures.put("lost_acknowledged_but_not_stored", acknowledgedButAbsent);
        figures.put("written_but_never_acknowledged", storedUnacknowledged); // the client gave up; not lost, not twice
        figures.put("lost_offsets_skipped_silently", skipped);
        figures.put("lost_events_not_delivered_nor_told", undeliveredUntold);
        figures.put("duplicated_messages_stored", storedTwice + writer.answeredWithAnotherId.get());
        figures.put("duplicated_frames_on_a_connection", duplicatedFrames);
        figures.put("subscribed_before_caught_up", notCaughtUp);
        figures.put("lost", acknowledgedButAbsent + skipped + undeliveredUntold);
        figures.put("duplicated", storedTwice + writer.answeredWithAnotherId.get() + duplicatedFrames);
    }

    private static Map<String, Long> phase(Map<String, Object> phases, String name, Map<String, Long> before, FaultWriter writer,
                                           List<FaultReader> readers) {
        Map<String, Long> now = counts(writer, readers);
        Map<String, Object> delta = new LinkedHashMap<>();
        now.forEach((key, value) -> delta.put(key, value - before.getOrDefault(key, 0L)));
        phases.put(name, delta);
        System.out.println(name + ": " + new JsonObject(delta).encode());
        return now;
    }

    /** Running totals; read while the readers run, so approximate per phase (the final account is exact). */
    private static Map<String, Long> counts(FaultWriter writer, List<FaultReader> readers) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("acknowledged", (long) writer.acknowledged.size());
        counts.put("refused_503", writer.refused503.get());
        counts.put("without_answer", writer.connectionFailures.get());
        counts.put("retries", writer.retries.get());
        counts.put("frames", readers.stream().mapToLong(r -> r.frames).sum());
        counts.put("replayed_on_purpose", readers.stream().mapToLong(r -> r.replayed).sum());
        counts.put("duplicated_frames", readers.stream().mapToLong(r -> r.duplicates).sum());
        counts.put("skipped_silently", readers.stream().mapToLong(r -> r.silentlySkipped).sum());
        counts.put("said_lost", readers.stream().mapToLong(r -> r.told).sum());
        counts.put("reconnections", readers.stream().mapToLong(r -> r.reconnects).sum());
        return counts;
    }

    private static void everySecond(int seconds, Runnable action) {
        for (int s = 0; s < seconds; s++) {
            action.run();
            DepositBenchmark.park(Duration.ofSeconds(1));
        }
    }
}
