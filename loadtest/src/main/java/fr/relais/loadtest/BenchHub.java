package fr.relais.loadtest;

import fr.relais.Hub;
import fr.relais.config.ConfigLoader;
import fr.relais.logging.LogSetup;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A hub for a benchmark: a fresh embedded PostgreSQL under loadtest/target, emails as files, and people created
 * and logged in through the real API (password, then the code read from the email file).
 */
final class BenchHub implements AutoCloseable {
    static final String PASSWORD = "benchmark password 123";
    private static final Pattern CODE = Pattern.compile("connexion est : (\\d{6})");
    private static final AtomicInteger SEQ = new AtomicInteger();

    final Hub hub;
    final Path dir;
    private fr.relais.config.RelaisConfig config;
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchHub(Hub hub, Path dir) {
        this.hub = hub;
        this.dir = dir;
    }

    static BenchHub start() throws IOException {
        return start(Map.of());
    }

    static BenchHub start(Map<String, String> extra) throws IOException {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "bench-" + System.currentTimeMillis())).toAbsolutePath();
        Map<String, String> overrides = Map.ofEntries(
                Map.entry("http.port", "0"),
                Map.entry("http.host", "127.0.0.1"),
                Map.entry("db.embedded.dir", dir.resolve("postgres").toString()),
                Map.entry("db.poolSize", "32"),
                Map.entry("secrets.dir", dir.resolve("secrets").toString()),
                Map.entry("mail.transport", "file"),
                Map.entry("mail.dir", dir.resolve("mail").toString()),
                Map.entry("auth.argon2.memory", "4MiB"),
                Map.entry("auth.argon2.iterations", "1"),
                Map.entry("auth.rateLimit.perAddress", "1000000"),
                Map.entry("log.level", "WARN"));
        Map<String, String> all = new java.util.HashMap<>(overrides);
        all.putAll(extra);
        var config = ConfigLoader.load(Optional.empty(), Map.of(), all);
        LogSetup.apply(config.log()); // no line per request: the benchmark measures the hub, not the console
        Hub hub = Hub.start(config);
        BenchHub bench = new BenchHub(hub, dir);
        bench.config = config;
        return bench;
    }

    fr.relais.config.RelaisConfig config() {
        return config;
    }

    int port() {
        return hub.httpPort();
    }

    /** A patient (with a fresh INS) or professional, activated and logged in; returns {id, accessToken, ins}. */
    JsonObject person(boolean patient) throws Exception {
        int n = SEQ.incrementAndGet();
        String email = (patient ? "patient" : "pro") + n + "@bench.example";
        JsonObject request = new JsonObject().put("email", email).put("displayName", "Bench " + n);
        String ins = null;
        if (patient) {
            String nir = String.format("18507%08d", n);
            ins = PublicApi.ins(nir);
            request.put("ins", ins);
        } else {
            request.put("rpps", String.format("1%010d", n)).put("profession", "physician");
        }
        var created = (patient ? hub.identity().provisioning().addPatient("bench", request)
                : hub.identity().provisioning().addProfessional("bench", request)).await();
        post("/api/v1/auth/activate", new JsonObject().put("code", created.activationCode()).put("password", PASSWORD), null);
        String challenge = post("/api/v1/auth/login", new JsonObject().put("email", email).put("password", PASSWORD), null)
                .getString("challengeId");
        JsonObject tokens = post("/api/v1/auth/login/verify",
                new JsonObject().put("challengeId", challenge).put("code", code(email)), null);
        return new JsonObject().put("id", tokens.getJsonObject("account").getString("id"))
                .put("accessToken", tokens.getString("accessToken")).put("ins", ins);
    }

    JsonObject get(String path, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    JsonObject post(String path, JsonObject body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    private String code(String email) throws Exception {
        return codeFromMailDir(dir.resolve("mail"), email);
    }

    /** The login code emailed to {@code email}, read from the .eml files of a hub with file mail transport. */
    static String codeFromMailDir(Path mailDir, String email) throws Exception {
        return codeFromMailDir(mailDir, email, CODE);
    }

    /** The first group of {@code code} in an email to {@code email} (the file is then deleted). */
    static String codeFromMailDir(Path mailDir, String email, Pattern code) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(mailDir)) {
                for (Path file : files.toList()) {
                    String text = Files.readString(file);
                    Matcher m = code.matcher(text);
                    if ((text.contains("To: " + email + "\r\n") || text.contains("To: " + email + "\n")) && m.find()) {
                        Files.delete(file);
                        return m.group(1);
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // the mail folder is created with the first email
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        throw new IllegalStateException("no " + code + " in an email to " + email);
    }

    @Override
    public void close() {
        hub.stop().await();
    }
}
