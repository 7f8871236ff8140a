package fr.relais.loadtest;

import fr.relais.db.DatabaseEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The scenarios that write through the hub's REST API and count the deliveries on sockets: a hub process,
 * people made through its API each holding a raw subscribed socket, writes sent at a fixed rate (open loop) and
 * counted on the recipients' sockets; in the same run, on the hub's PostgreSQL server, the raw insert-and-commit
 * floor and the persisting relay (its own process) driven by the same generator, rate, recipients and
 * measurement. {@link #held} holds one rate; {@link #saturation} raises it in steps until a step fails.
 */
final class DeliveryBenchmark {
    /** A step passes when everything was delivered once, in order, p99 stayed under this and the rate was held. */
    static final double PASS_P99_MS = 250;
    static final double PASS_RATE_SHARE = 0.95;
    static final int[] STEPS = {500, 1000, 2000, 3000, 4000, 5000, 6000, 8000};
    private static final Duration STEP_WARMUP = Duration.ofSeconds(3);
    /** The hub's code paths are warm from making the people, the relay's are not: both get this, not counted. */
    private static final Duration JIT_WARMUP = Duration.ofSeconds(5);
    private static final AtomicLong RELAY_IDS = new AtomicLong();
    /** The hub's database on its embedded server ({@code db.embedded.database}). */
    private static final String HUB_DATABASE = "relais";

    private DeliveryBenchmark() {
    }

    /** The workload held at {@code rate}; the target: p50 and p99 REST→socket at most these, p99 at most {@code maxRatio} × the relay's. */
    static void held(String scenario, Workload workload, int seconds, int rate, double maxP50, double maxP99, double maxRatio)
            throws Exception {
        Duration warmup = Duration.ofSeconds(Math.max(3, Math.min(10, seconds / 4)));
        run(scenario, workload, List.of(rate), warmup, Duration.ofSeconds(seconds), figures -> {
            Map<?, ?> hub = (Map<?, ?>) ((List<?>) figures.remove("hub_steps")).get(0);
            Map<?, ?> relay = (Map<?, ?>) ((List<?>) figures.remove("relay_steps")).get(0);
            double hubP99 = p99(hub);
            double relayP99 = p99(relay);
            double p50 = (double) ((Map<?, ?>) hub.get("send_to_socket_ms")).get("p50");
            figures.put("hub", hub);
            figures.put("relay_baseline", relay);
            figures.put("ratio_hub_p99_to_relay_p99", hubP99 / relayP99);
            figures.put("target", (maxP50 < Double.MAX_VALUE ? "p50 <= " + maxP50 + " ms, " : "") + "p99 <= " + maxP99 + " ms REST->socket"
                    + (maxRatio < Double.MAX_VALUE ? ", p99 <= " + maxRatio + "x the relay's p99" : "") + ", held at " + rate
                    + "/s; 0 lost, 0 duplicated");
            figures.put("meets_target", p50 <= maxP50 && hubP99 <= maxP99 && hubP99 <= maxRatio * relayP99 && passes(hub));
        });
    }

    /** The workload at rising rates (the steps up to {@code maxRate}); the target: a passing step at {@code targetRate} or more. */
    static void saturation(String scenario, Workload workload, int stepSeconds, int maxRate, int targetRate) throws Exception {
        List<Integer> rates = IntStream.of(STEPS).filter(r -> r <= maxRate).boxed().toList();
        run(scenario, workload, rates, STEP_WARMUP, Duration.ofSeconds(stepSeconds), figures -> {
            int hub = highestPassing(figures.get("hub_steps"));
            figures.put("hub_highest_passing_per_s", hub);
            figures.put("relay_highest_passing_per_s", highestPassing(figures.get("relay_steps")));
            figures.put("target", ">= " + targetRate + "/s; 0 lost, 0 duplicated");
            figures.put("meets_target", hub >= targetRate);
        });
    }

    private interface Summary {
        void add(Map<String, Object> figures);
    }

    @SuppressWarnings("unchecked")
    private static void run(String scenario, Workload workload, List<Integer> rates, Duration warmup, Duration measure,
                            Summary summary) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("machine_load_average_at_start", Results.loadAverage());
        figures.put("machine_note", "the hub, its PostgreSQL, the relay and the generator share this machine's "
                + Runtime.getRuntime().availableProcessors() + " cores; nothing is pinned");
        Vertx vertx = Vertx.vertx();
        try (HubProcess hub = HubProcess.start(scenario)) {
            long setupStart = System.nanoTime();
            CareTeams people = CareTeams.create(hub, workload.professionals(), workload.patients());
            List<Target.Lane> lanes = people.lanes(workload.fromProfessional(), workload.fromPatient());
            figures.put("setup", Map.of("professionals", workload.professionals(), "patients", workload.patients(),
                    "sockets", people.tokens().size(), "lanes_per_patient",
                    Map.of("from_professional", workload.fromProfessional(), "from_patient", workload.fromPatient()),
                    "hub_request_example_bytes", workload.hubRequest().apply(people, lanes.get(0)).body().length(),
                    "relay_body_chars", workload.relayBody().length(), "setup_s", (System.nanoTime() - setupStart) / 1_000_000_000L,
                    "step_passes_if", "nothing missing, duplicated, out of order or failed; p99 send->socket <= " + PASS_P99_MS
                            + " ms; achieved >= " + PASS_RATE_SHARE + " x offered"));
            DatabaseEndpoint database = hub.scratchDatabase();
            figures.put("baseline_raw_insert_commit", RawInsertBaseline.measure(vertx, database.connectOptions(),
                    Duration.ofSeconds(1), Duration.ofSeconds(4)));

            PostgresWaits waits = new PostgresWaits(vertx, database.connectOptions());
            Target hubTarget = new Target("hub", hub.port, "/api/v1/ws", people.tokens(),
                    lane -> workload.hubRequest().apply(people, lane), HUB_DATABASE);
            hubTarget = workload.overSocket() ? hubTarget.bySocketCommands() : hubTarget;
            try (RecipientSockets sockets = RecipientSockets.open(vertx, hubTarget)) {
                figures.put("hub_steps", steps(vertx, hubTarget, sockets, lanes, waits, rates, warmup, measure));
                sockets.awaitQuiet(Duration.ofSeconds(2), Duration.ofMinutes(2));
            }
            int relayPort = ConnectionsBenchmark.freePort();
            try (ChildProcess relay = startRelay(hub, database, relayPort)) {
                Target relayTarget = relayTarget(relayPort, people.tokens().size(), workload.relayBody(), database.database());
                relayTarget = workload.overSocket() ? relayTarget.bySocketCommands() : relayTarget;
                try (RecipientSockets sockets = RecipientSockets.open(vertx, relayTarget)) {
                    figures.put("relay_steps", steps(vertx, relayTarget, sockets, lanes, waits, rates, warmup, measure));
                }
            }
        } finally {
            vertx.close().await();
        }
        Map<String, List<Map<String, Object>>> steps = new LinkedHashMap<>();
        steps.put("hub", (List<Map<String, Object>>) figures.get("hub_steps"));
        steps.put("relay", (List<Map<String, Object>>) figures.get("relay_steps"));
        String table = StepTable.of((Map<String, Object>) figures.get("baseline_raw_insert_commit"), steps);
        summary.add(figures);
        Results.report(scenario, figures, table);
    }

    /**
     * Each rate in turn, stopping after the first that fails (its backlog would spoil the next), with a wait
     * analysis of the target's database during each measured window.
     */
    private static List<Map<String, Object>> steps(Vertx vertx, Target target, RecipientSockets sockets, List<Target.Lane> lanes,
                                                   PostgresWaits waits, List<Integer> rates, Duration warmup, Duration measure) {
        List<Map<String, Object>> steps = new ArrayList<>();
        System.out.printf("%s: a run of %d s at %d/s, not counted, to warm the JIT of both ends…%n", target.name(),
                JIT_WARMUP.toSeconds(), rates.get(0));
        FixedRateRun.run(vertx, target, sockets, lanes, rates.get(0), JIT_WARMUP, Duration.ofSeconds(1));
        sockets.awaitQuiet(Duration.ofSeconds(2), Duration.ofMinutes(2));
        for (int rate : rates) {
            System.out.printf("%s at %d/s for %d s…%n", target.name(), rate, warmup.plus(measure).toSeconds());
            var waited = waits.sample(target.database(), warmup, measure);
            Map<String, Object> step = FixedRateRun.run(vertx, target, sockets, lanes, rate, warmup, measure);
            step.put("passed", passes(step));
            step.put("postgres_waits", waited.await());
            System.out.println(new JsonObject(step).encode());
            steps.add(step);
            if (!(boolean) step.get("passed")) {
                break;
            }
        }
        return steps;
    }

    private static ChildProcess startRelay(HubProcess hub, DatabaseEndpoint database, int port) throws Exception {
        ChildProcess relay = ChildProcess.start(hub.dir, "relay", Map.of("RELAIS_BENCH_PG_HOST", database.host(),
                "RELAIS_BENCH_PG_PORT", String.valueOf(database.port()), "RELAIS_BENCH_PG_DATABASE", database.database(),
                "RELAIS_BENCH_PG_USER", database.user(), "RELAIS_BENCH_PG_PASSWORD", database.password()),
                PersistingRelay.class.getName(), String.valueOf(port));
        relay.awaitLine("relay listening", Duration.ofMinutes(1));
        return relay;
    }

    /** The relay with the hub's people: person {@code i} holds the socket named {@code p<i>}. */
    private static Target relayTarget(int port, int people, String body, String database) {
        List<String> names = IntStream.range(0, people).mapToObj(i -> "p" + i).toList();
        return new Target("relay", port, "/ws", names, lane -> new Target.Request("/send", null, new JsonObject()
                .put("to", names.get(lane.recipient())).put("id", "m" + RELAY_IDS.incrementAndGet()).put("body", body).encode()), database);
    }

    static boolean passes(Map<?, ?> step) {
        return clean(step) && p99(step) <= PASS_P99_MS
                && ((Number) step.get("achieved_per_s")).doubleValue() >= PASS_RATE_SHARE * ((Number) step.get("offered_per_s")).doubleValue();
    }

    private static boolean clean(Map<?, ?> step) {
        return List.of("missing", "duplicated", "out_of_order", "errors", "unanswered").stream()
                .allMatch(k -> ((Number) step.get(k)).longValue() == 0);
    }

    private static double p99(Map<?, ?> step) {
        return (double) ((Map<?, ?>) step.get("send_to_socket_ms")).get("p99");
    }

    private static int highestPassing(Object steps) {
        return ((List<?>) steps).stream().map(s -> (Map<?, ?>) s).filter(s -> (boolean) s.get("passed"))
                .mapToInt(s -> (int) s.get("offered_per_s")).max().orElse(0);
    }
}
