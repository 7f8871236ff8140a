package fr.relais.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM started by a scenario (the hub, or the bare baseline server), measured from outside with jcmd. */
final class ChildProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    final Process process;
    final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(Path dir, String name, Map<String, String> env, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx3g", "-XX:+UseG1GC", "-cp", absoluteClassPath(), mainClass));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildProcess(builder.start(), log);
    }

    /** The child runs in its own folder: relative class-path entries would not resolve there. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    void awaitLine(String text, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended:\n" + Files.readString(log));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException("no '" + text + "' within " + deadline + ":\n" + Files.readString(log));
    }

    /** Writes a line to the process's standard input. */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** The last match of {@code pattern}'s first group in the output, waiting until there is one. */
    String awaitLast(Pattern pattern, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                return last;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended:\n" + Files.readString(log));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException("no " + pattern + " within " + deadline + ":\n" + Files.readString(log));
    }

    /** Heap in use after a full collection, in KiB. */
    long heapAfterGcKiB() throws Exception {
        run("GC.run");
        Matcher m = HEAP_USED.matcher(run("GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("cannot read the heap");
        }
        return Long.parseLong(m.group(1));
    }

    /** Live objects per class after a full collection: class name → {instances, bytes}. */
    Map<String, long[]> classHistogram() throws Exception {
        Map<String, long[]> classes = new java.util.HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(run("GC.class_histogram"));
        while (row.find()) {
            classes.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        }
        return classes;
    }

    /** Resident memory of the whole process, in KiB. */
    long rssKiB() throws IOException {
        Matcher m = RSS.matcher(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "status")));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String run(String jcmd) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), jcmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: the hub stops gracefully, with its PostgreSQL
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
