package fr.relais.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Prints a scenario's figures and writes them as JSON and Markdown under loadtest/results/, with the machine. */
final class Results {
    private Results() {
    }

    static Map<String, Object> percentiles(Histogram histogram) {
        Map<String, Object> ms = new LinkedHashMap<>();
        ms.put("count", histogram.getTotalCount());
        ms.put("p50", millis(histogram.getValueAtPercentile(50)));
        ms.put("p90", millis(histogram.getValueAtPercentile(90)));
        ms.put("p99", millis(histogram.getValueAtPercentile(99)));
        ms.put("p99.9", millis(histogram.getValueAtPercentile(99.9)));
        ms.put("max", millis(histogram.getMaxValue()));
        return ms;
    }

    /** The machine's load averages (1, 5, 15 min) now: how busy the shared machine was around a run. */
    static String loadAverage() {
        try {
            return String.join(" ", java.util.Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void report(String scenario, Map<String, Object> figures) throws IOException {
        report(scenario, figures, "");
    }

    /** With {@code summary}, Markdown shown before the table of every figure. */
    static void report(String scenario, Map<String, Object> figures, String summary) throws IOException {
        Map<String, Object> sorted = new TreeMap<>(figures);
        JsonObject json = new JsonObject()
                .put("scenario", scenario)
                .put("at", Instant.now().toString())
                .put("machine", new JsonObject()
                        .put("cores", Runtime.getRuntime().availableProcessors())
                        .put("cpu", cpuModel())
                        .put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
                        .put("java", System.getProperty("java.version"))
                        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                        .put("jvm", ManagementFactory.getRuntimeMXBean().getVmName()))
                .put("results", new JsonObject(sorted));
        StringBuilder md = new StringBuilder("# ").append(scenario).append(" — ").append(json.getString("at")).append("\n\n")
                .append("Machine: ").append(json.getJsonObject("machine").encode()).append("\n\n")
                .append(summary.isEmpty() ? "" : summary + "\n")
                .append("| figure | value |\n|---|---|\n");
        sorted.forEach((key, value) -> md.append("| ").append(key).append(" | ").append(format(value)).append(" |\n"));
        Path dir = Files.createDirectories(Path.of("loadtest", "results"));
        Files.writeString(dir.resolve(scenario + ".json"), json.encodePrettily() + "\n");
        Files.writeString(dir.resolve(scenario + ".md"), md.toString());
        System.out.println(md);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            return String.format("%.2f", d);
        }
        if (value instanceof java.util.List<?> list) {
            return new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(list)).encode();
        }
        return value instanceof Map<?, ?> map ? new JsonObject(new LinkedHashMap<>((Map<String, Object>) map)).encode() : String.valueOf(value);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
