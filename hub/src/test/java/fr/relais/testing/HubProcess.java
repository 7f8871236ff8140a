package fr.relais.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code relais} command run as a real child process (same classpath as the tests), for what only a
 * process shows: exit codes, signals, what is printed, a restart that finds its data.
 */
public final class HubProcess implements AutoCloseable {
    private static final Pattern URL_LINE = Pattern.compile("running at http://localhost:(\\d+)/");

    private final Process process;
    /** Every line, standard output and standard error, in the order read; and those of standard output alone. */
    private final List<String> lines = new ArrayList<>();
    private final List<String> standardOutput = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private HubProcess(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), true, "hub-process-stdout");
        this.errReader = reader(process.getErrorStream(), false, "hub-process-stderr");
    }

    private Thread reader(java.io.InputStream stream, boolean standard, String name) {
        Thread reader = new Thread(() -> readOutput(stream, standard), name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Starts {@code relais <args>} in {@code workDir} with these environment variables added. */
    public static HubProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, new TestClock(), args);
    }

    /** The same, with the child hub's clock standing where {@code clock} stands now (nodes of one test share a time). */
    public static HubProcess start(Path workDir, Map<String, String> env, TestClock clock, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + TestClock.PROPERTY + "=" + clock.instant(),
                "-cp", System.getProperty("java.class.path"), ClockedMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("RELAIS_"));
        builder.environment().putAll(env);
        return new HubProcess(builder.start());
    }

    /** Waits for the line that prints the URL and returns its port. */
    public int awaitPort(Duration deadline) {
        String line = awaitLine(URL_LINE, deadline);
        Matcher m = URL_LINE.matcher(line);
        m.find();
        return Integer.parseInt(m.group(1));
    }

    /** Waits for a line of output matching {@code pattern}. */
    public String awaitLine(Pattern pattern, Duration deadline) {
        return Eventually.await("a line matching " + pattern, deadline, () -> {
            synchronized (lines) {
                return lines.stream().filter(l -> pattern.matcher(l).find()).findFirst().orElse(null);
            }
        }, found -> found != null || !process.isAlive());
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration deadline) throws InterruptedException, IOException {
        // Process.destroy() would send SIGTERM too, but it also closes our end of the output pipe: the lines
        // printed while stopping would be lost.
        Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -TERM " + process.pid() + " failed");
        }
        return awaitExit(deadline);
    }

    /** kill -9: no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the process did not exit within " + deadline + "; output:\n" + output());
        }
        outReader.join(deadline.toMillis()); // the last lines are read once the pipes close
        errReader.join(deadline.toMillis());
        return process.exitValue();
    }

    /** What the process printed, on both streams. */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** What the process printed on its standard output alone. */
    public String standardOutput() {
        synchronized (lines) {
            return String.join("\n", standardOutput);
        }
    }

    /** Stops the process if a test left it running: gracefully first, so that its embedded PostgreSQL stops too. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            terminate(Duration.ofSeconds(30));
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
        }
    }

    private void readOutput(java.io.InputStream stream, boolean standard) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    if (standard) {
                        standardOutput.add(line);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
