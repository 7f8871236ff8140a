package fr.relais.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;

/**
 * A mixed day: {@value #PATIENTS} patients and {@value #PROFESSIONALS} professionals, each with a subscribed
 * socket that acknowledges what it receives, and for {@code seconds}: messages, replies, deposits, appointments
 * (whose reminders fall due during the run), reads and full logins at fixed rates through the public API,
 * against a hub in its own process. Measured: each operation's count, errors and latency; events received on
 * the sockets; reminders fired; the hub's heap after a full GC every minute (it must not grow). Baseline of the
 * same run: the heap after the first minute.
 */
final class MixedDayBenchmark {
    static final int PATIENTS = 200;
    static final int PROFESSIONALS = 20;
    private static final byte[] PDF = ("%PDF-1.4\n" + "x".repeat(900) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    /** Operations per second: what a working day looks like, scaled to this machine. */
    private static final Map<String, Double> RATES = Map.of(
            "message", 20.0, "reply", 5.0, "deposit", 10.0, "appointment", 2.0, "read", 20.0, "login", 0.5);

    private MixedDayBenchmark() {
    }

    static void run(int seconds) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "mixed-" + System.currentTimeMillis())).toAbsolutePath();
        int port = ConnectionsBenchmark.freePort();
        Map<String, String> env = new HashMap<>(ConnectionsBenchmark.hubEnvironment(dir, port));
        env.put("RELAIS_AGENDA_REMINDER_OFFSETS", "1h"); // appointments made now remind during the run
        Map<String, Object> figures = new LinkedHashMap<>();
        Vertx vertx = Vertx.vertx();
        ScheduledExecutorService load = Executors.newScheduledThreadPool(4);
        try (ChildProcess server = ChildProcess.start(dir, "hub", env, "fr.relais.Main", "serve")) {
            server.awaitLine("running at", Duration.ofMinutes(2));
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            PublicApi api = new PublicApi(http, port, dir.resolve("mail"));
            String admin = ConnectionsBenchmark.account(dir, env, port, "admin@bench.example", "add-admin").getString("accessToken");
            List<PublicApi.Account> pros = new ArrayList<>();
            for (int i = 0; i < PROFESSIONALS; i++) {
                pros.add(api.create(admin, "professionals", new JsonObject().put("rpps", String.format("2%010d", i))
                        .put("profession", "physician").put("email", "pro" + i + "@bench.example").put("displayName", "Dr " + i)));
            }
            List<PublicApi.Account> patients = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < PATIENTS; i++) {
                PublicApi.Account pro = pros.get(i % PROFESSIONALS);
                patients.add(api.patientTreatedBy(admin, "28503759", i, String.format("2%010d", i % PROFESSIONALS)));
                conversations.add(api.conversation(pro, patients.get(i)));
            }
            AtomicLong eventsReceived = new AtomicLong();
            Map<String, AtomicLong> eventsByType = new java.util.concurrent.ConcurrentHashMap<>();
            AtomicLong socketsLost = new AtomicLong();
            WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PATIENTS + PROFESSIONALS + 10));
            List<Future<WebSocket>> opening = new ArrayList<>();
            for (PublicApi.Account account : concat(patients, pros)) {
                opening.add(SocketHolder.subscribed(sockets, port, account.token()).onSuccess(ws -> {
                    ws.textMessageHandler(text -> {
                        JsonObject frame = new JsonObject(text);
                        if (frame.getString("type").contains(".")) { // an event: show it, acknowledge it
                            eventsReceived.incrementAndGet();
                            eventsByType.computeIfAbsent(frame.getString("type"), t -> new AtomicLong()).incrementAndGet();
                            ws.writeTextMessage(new JsonObject().put("type", "ack").put("offset", frame.getLong("offset")).encode());
                        }
                    });
                    ws.closeHandler(v -> socketsLost.incrementAndGet());
                }));
            }
            Future.all(opening).await();

            Map<String, Recorder> latency = new LinkedHashMap<>();
            Map<String, AtomicLong> done = new LinkedHashMap<>();
            Map<String, AtomicLong> errors = new LinkedHashMap<>();
            Map<String, Supplier<CompletableFuture<?>>> operations = Map.of(
                    "message", () -> {
                        int i = ThreadLocalRandom.current().nextInt(PATIENTS);
                        return api.call("POST", "/api/v1/conversations/" + conversations.get(i) + "/messages",
                                pros.get(i % PROFESSIONALS).token(), new JsonObject().put("body", "Résultats reçus, tout va bien."));
                    },
                    "reply", () -> {
                        int i = ThreadLocalRandom.current().nextInt(PATIENTS);
                        return api.call("POST", "/api/v1/conversations/" + conversations.get(i) + "/messages",
                                patients.get(i).token(), new JsonObject().put("body", "Merci docteur."));
                    },
                    "deposit", () -> {
                        int i = ThreadLocalRandom.current().nextInt(PATIENTS);
                        return api.call("POST", "/api/v1/documents", pros.get(i % PROFESSIONALS).token(), new JsonObject()
                                .put("ins", patients.get(i).ins()).put("kind", "lab_result").put("title", "Bilan")
                                .put("careDate", "2026-11-20").put("contentType", "application/pdf")
                                .put("data", Base64.getEncoder().encodeToString(PDF)));
                    },
                    "appointment", () -> {
                        int i = ThreadLocalRandom.current().nextInt(PATIENTS);
                        // its reminder (1 h before) falls due about two minutes from now, within the run
                        OffsetDateTime start = OffsetDateTime.now(ZoneId.of("Europe/Paris")).plusMinutes(62).truncatedTo(ChronoUnit.MINUTES);
                        return api.call("POST", "/api/v1/appointments", pros.get(i % PROFESSIONALS).token(), new JsonObject()
                                .put("patientId", patients.get(i).id()).put("startsAt", start.toString())
                                .put("endsAt", start.plusMinutes(20).toString()).put("place", "Cabinet"));
                    },
                    "read", () -> {
                        PublicApi.Account patient = patients.get(ThreadLocalRandom.current().nextInt(PATIENTS));
                        return ThreadLocalRandom.current().nextBoolean()
                                ? api.call("GET", "/api/v1/conversations/unread", patient.token(), null)
                                : api.call("GET", "/api/v1/patients/" + patient.id() + "/documents?limit=20", patient.token(), null);
                    },
                    "login", () -> CompletableFuture.supplyAsync(() -> api.login(patients.get(ThreadLocalRandom.current().nextInt(PATIENTS)).email())));
            for (String op : List.of("message", "reply", "deposit", "appointment", "read", "login")) {
                latency.put(op, new Recorder(60_000_000_000L, 3));
                done.put(op, new AtomicLong());
                errors.put(op, new AtomicLong());
                long period = (long) (1_000_000 / RATES.get(op));
                load.scheduleAtFixedRate(() -> {
                    long start = System.nanoTime();
                    operations.get(op).get().whenComplete((ok, failure) -> {
                        latency.get(op).recordValue(System.nanoTime() - start);
                        (failure == null ? done : errors).get(op).incrementAndGet();
                    });
                }, 0, period, TimeUnit.MICROSECONDS);
            }

            List<Long> heapMiB = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                DepositBenchmark.park(Duration.ofSeconds(Math.min(60, Math.max(1, (end - System.nanoTime()) / 1_000_000_000L))));
                heapMiB.add(server.heapAfterGcKiB() / 1024);
            }
            load.shutdown();
            load.awaitTermination(1, TimeUnit.MINUTES);
            Map<String, Object> ops = new LinkedHashMap<>();
            for (String op : latency.keySet()) {
                ops.put(op, Map.of("target_per_s", RATES.get(op), "done", done.get(op).get(), "errors", errors.get(op).get(),
                        "latency_ms", Results.percentiles(latency.get(op).getIntervalHistogram())));
            }
            figures.put("operations", ops);
            figures.put("events_received_on_sockets", eventsReceived.get());
            figures.put("sockets_lost", socketsLost.get());
            figures.put("events_received_by_type", new java.util.TreeMap<>(eventsByType));
            figures.put("heap_after_gc_each_minute_MiB", heapMiB);
            figures.put("heap_growth_after_first_minute_MiB", heapMiB.get(heapMiB.size() - 1) - heapMiB.get(0));
            figures.put("seconds", seconds);
            figures.put("setup", Map.of("patients", PATIENTS, "professionals", PROFESSIONALS));
            sockets.close().await();
        } finally {
            load.shutdownNow();
            vertx.close().await();
        }
        Results.report("mixed-day", figures);
    }

    private static List<PublicApi.Account> concat(List<PublicApi.Account> a, List<PublicApi.Account> b) {
        List<PublicApi.Account> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
