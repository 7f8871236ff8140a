package fr.relais.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockedMain;
import fr.relais.testing.HubProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first accounts and first login, run as written: the two bash blocks after the marker comment, in a
 * folder where a hub runs as {@code ./relais} starts it (embedded PostgreSQL, emails written to {@code data/mail}),
 * with {@code ./relais} there running this build's console and {@code PORT} the hub's port. Pasted in that order,
 * the blocks must create the accounts, log the doctor in with the emailed code and give the lab's system a token.
 */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String MARKER = "<!-- ReadmeTest runs this block and the next one";
    private static final Pattern BASH_BLOCK = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void theFirstAccountsAndLoginRunAsWritten() throws Exception {
        List<String> blocks = blocksAfterTheMarker();
        Path work = Files.createDirectories(Path.of("target", "readme-" + System.nanoTime())).toAbsolutePath();
        writeConsole(work);
        try (HubProcess hub = HubProcess.start(work, Map.of("RELAIS_HTTP_PORT", "0", "RELAIS_HTTP_HOST", "127.0.0.1"))) {
            int port = hub.awaitPort(START);
            String script = String.join("\n", blocks) + "\n"
                    + "echo \"DOCTOR=$(curl -s $B/me -H \"Authorization: Bearer $TOKEN\")\"\n"
                    + "echo \"SYSTEM=$(curl -s $B/me -H \"Authorization: Bearer $LAB_TOKEN\")\"\n";
            String output = bash(work, port, script);

            JsonObject doctor = new JsonObject(line(output, "DOCTOR="));
            assertEquals("professional", doctor.getString("kind"), output);
            assertEquals("dr.martin@example.fr", doctor.getString("email"), output);
            JsonObject system = new JsonObject(line(output, "SYSTEM="));
            assertEquals("integrator", system.getString("kind"), output);
            assertEquals(0, hub.terminate(START), hub.output());
        }
    }

    private static List<String> blocksAfterTheMarker() throws IOException {
        String readme = Files.readString(README);
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "the README marks the blocks this test runs");
        Matcher block = BASH_BLOCK.matcher(readme);
        List<String> blocks = new ArrayList<>();
        for (int from = marker; blocks.size() < 2 && block.find(from); from = block.end()) {
            blocks.add(block.group(1));
        }
        assertEquals(2, blocks.size(), "two bash blocks after the marker");
        return blocks;
    }

    /** {@code ./relais} in {@code work}: this build's console, as the repository's script runs the built jar. */
    private static void writeConsole(Path work) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path console = work.resolve("relais");
        Files.writeString(console, "#!/usr/bin/env bash\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' " + ClockedMain.class.getName() + " \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(console, PosixFilePermissions.fromString("rwx------"));
    }

    /** Runs {@code script} with bash, stopping at the first failing command; its output. */
    private static String bash(Path work, int port, String script) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-xeuo", "pipefail", "-c", script).directory(work.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("RELAIS_"));
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("RELAIS_LOG_LEVEL", "WARN");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes(); // until the script ends and closes it
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the README's blocks ran within three minutes");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "the README's blocks ran without a failing command:\n" + text);
        return text;
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in:\n" + output));
    }
}
