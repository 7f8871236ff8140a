package fr.relais.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TypeScript client ({@code clients/typescript}) against a real hub: {@code npm ci}, {@code npm run build}, then
 * its Node tests ({@code node --test}), which find this hub and its people in the environment: {@code HUB_URL},
 * {@code PATIENTS} (a patient per test file, {@code {"live": {"id", "refreshToken"}, …}}: the tests take their access
 * tokens as an application would, by refresh) and {@code LAB_CLIENT_ID} / {@code LAB_CLIENT_SECRET} (a lab system
 * with documents:write and stream:read, which takes its tokens by client credentials). Access tokens live 30 s, so
 * that a socket outlives its token. Needs Node 20 or later and npm on the PATH, and the npm registry (or a filled
 * npm cache).
 */
class TypeScriptClientTest {
    private static final Path CLIENT = Path.of("..", "clients", "typescript").toAbsolutePath().normalize();
    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");
    private static final Pattern TAP_COUNT = Pattern.compile("^# (pass|fail) (\\d+)$", Pattern.MULTILINE);
    /** The guarantees the Node tests show, by test name: each must have run and passed. */
    private static final List<String> GUARANTEES = List.of(
            "a patient's client receives deposits live, once each, and acknowledges them",
            "after cuts, including one while events are written, every event arrives once and in order",
            "a command gives its result, a refusal its code, and a write waits for the reconnection",
            "a logout ends the client with revoked and it does not reconnect",
            "a cursor the hub cannot read is said lost and the client goes on from the head; a callback that throws stops nothing",
            "a socket outlives its token: the client gives it a new one before it ends, and a refused one changes nothing");

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("auth.accessTokenLifetime", "30s").with("auth.clockSkew", "0s");

    @Test
    void theClientsNodeTestsPassAgainstARealHub() {
        requireNode();
        JsonObject patients = new JsonObject();
        for (String testFile : List.of("live", "resume", "revoked", "refresh")) {
            Person patient = hub.people().patient("Patiente du test " + testFile);
            patients.put(testFile, new JsonObject().put("id", patient.id().toString()).put("refreshToken", patient.refreshToken()));
        }
        Person admin = hub.people().admin("Intégrations TypeScript");
        JsonObject lab = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", "Labo du client TypeScript")
                .put("organisationId", hub.people().organisation("laboratory", "Labo du client TypeScript"))
                .put("scopes", new JsonArray().add("documents:write").add("stream:read"))).json();
        Map<String, String> hubAndPeople = Map.of(
                "HUB_URL", "http://127.0.0.1:" + hub.port(),
                "PATIENTS", patients.encode(),
                "LAB_CLIENT_ID", lab.getString("clientId"),
                "LAB_CLIENT_SECRET", lab.getString("clientSecret"));

        run(Duration.ofMinutes(3), Map.of(), npm(), "ci", "--no-audit", "--no-fund");
        run(Duration.ofMinutes(1), Map.of(), npm(), "run", "build");
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=tap"));
        command.addAll(testFiles());
        String report = run(Duration.ofMinutes(4), hubAndPeople, command.toArray(String[]::new));

        Matcher counts = TAP_COUNT.matcher(report);
        Map<String, Integer> count = new java.util.HashMap<>();
        while (counts.find()) {
            count.put(counts.group(1), Integer.parseInt(counts.group(2)));
        }
        assertEquals(0, count.getOrDefault("fail", -1), report);
        for (String guarantee : GUARANTEES) {
            assertTrue(Pattern.compile("^\\s*ok \\d+ - " + Pattern.quote(guarantee) + "$", Pattern.MULTILINE).matcher(report).find(),
                    "the Node test \"" + guarantee + "\" ran and passed:\n" + report);
        }
    }

    private static void requireNode() {
        String version;
        try {
            version = run(Duration.ofSeconds(30), Map.of(), "node", "--version").strip();
            run(Duration.ofSeconds(30), Map.of(), npm(), "--version");
        } catch (AssertionError | UncheckedIOException e) {
            throw new AssertionError("Node.js 20 or later and npm must be on the PATH to test the TypeScript client in "
                    + CLIENT + " (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
        assertTrue(major.find() && Integer.parseInt(major.group(1)) >= 20,
                "the TypeScript client's tests need Node.js 20 or later; the PATH has " + version);
    }

    private static List<String> testFiles() {
        try (Stream<Path> files = Files.list(CLIENT.resolve("test"))) {
            List<String> tests = files.map(file -> CLIENT.relativize(file).toString())
                    .filter(name -> name.endsWith(".test.mjs")).sorted().toList();
            assertTrue(tests.size() >= 5, "the Node tests in " + CLIENT.resolve("test") + ": " + tests);
            return tests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String npm() {
        return WINDOWS ? "npm.cmd" : "npm";
    }

    /** Runs {@code command} in the client's folder; its output (stdout and stderr), or a failure that shows it. */
    private static String run(Duration deadline, Map<String, String> env, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("NO_UPDATE_NOTIFIER", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> collect(process.getInputStream(), output), "output of " + command[0]);
        reader.start();
        try {
            boolean finished = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            reader.join(Duration.ofSeconds(10).toMillis());
            String text;
            synchronized (output) {
                text = output.toString(StandardCharsets.UTF_8);
            }
            System.out.println("$ " + String.join(" ", command) + "\n" + text);
            if (!finished) {
                fail(String.join(" ", command) + " did not finish within " + deadline + ":\n" + text);
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static void collect(InputStream stream, ByteArrayOutputStream output) {
        byte[] buffer = new byte[8192];
        try (stream) {
            for (int n; (n = stream.read(buffer)) > 0; ) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.writeBytes(("\n(output cut: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
