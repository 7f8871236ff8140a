package fr.relais.loadtest;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Idle connections across a cluster of hub processes on this machine (each process may open at most 20,000
 * files): {@code nodes} clustered hubs on one PostgreSQL, and as many generator processes ({@link SocketHolder}),
 * each from its own loopback address, spreading {@code total} subscribed sockets over all hubs. Measured: the
 * sockets each hub holds (its own gauge), each hub's heap after GC and Netty direct memory before and after.
 * Baseline of the same run: a bare Vert.x WebSocket server process holding one hub's share.
 */
final class ClusterConnectionsBenchmark {
    private static final Pattern HELD = Pattern.compile("held (\\d+ failed \\d+)");

    private ClusterConnectionsBenchmark() {
    }

    static void run(int seconds, int total, int nodes) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", "cluster-" + System.currentTimeMillis())).toAbsolutePath();
        List<ChildProcess> generators = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        int basePort;
        long started = System.nanoTime();
        try (HubCluster cluster = HubCluster.start(dir, nodes)) {
            List<Integer> httpPorts = cluster.httpPorts;
            List<ChildProcess> hubs = cluster.nodes;
            basePort = httpPorts.get(0);
            figures.put("cluster_start_seconds", (System.nanoTime() - started) / 1e9);
            String token = ConnectionsBenchmark.patientToken(dir, cluster.environments.get(0), httpPorts.get(0));

            List<long[]> before = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                before.add(new long[] {hubs.get(i).heapAfterGcKiB(), ConnectionsBenchmark.directBytes(httpPorts.get(i), true)});
            }
            int processes = (total + 16_999) / 17_000;
            String ports = httpPorts.stream().map(String::valueOf).collect(Collectors.joining(","));
            long connecting = System.nanoTime();
            for (int g = 0; g < processes; g++) {
                int share = total / processes + (g < total % processes ? 1 : 0);
                generators.add(ChildProcess.start(dir, "generator-" + (g + 1), Map.of(), SocketHolder.class.getName(),
                        token, "127.0.0." + (11 + g), String.valueOf(share), ports));
            }
            Map<String, String> held = new LinkedHashMap<>();
            for (int g = 0; g < processes; g++) {
                held.put("generator-" + (g + 1), generators.get(g).awaitLast(HELD, Duration.ofMinutes(15)));
            }
            figures.put("connect_seconds", (System.nanoTime() - connecting) / 1e9);
            figures.put("generators", held);
            DepositBenchmark.park(Duration.ofSeconds(seconds));

            long open = 0;
            for (ChildProcess generator : generators) {
                generator.send("count 1");
                open += Long.parseLong(generator.awaitLast(Pattern.compile("open-1 (\\d+)"), Duration.ofMinutes(1)));
            }
            List<Map<String, Object>> perNode = new ArrayList<>();
            double heapTotal = 0;
            double directTotal = 0;
            long socketsTotal = 0;
            for (int i = 0; i < nodes; i++) {
                long sockets = (long) ConnectionsBenchmark.metric(httpPorts.get(i), "relais_ws_connections");
                long heap = hubs.get(i).heapAfterGcKiB() - before.get(i)[0];
                long direct = ConnectionsBenchmark.directBytes(httpPorts.get(i), true) - before.get(i)[1];
                socketsTotal += sockets;
                heapTotal += heap;
                directTotal += direct / 1024.0;
                perNode.add(Map.of("node", i + 1, "sockets", sockets, "heap_growth_MiB", heap / 1024,
                        "heap_and_direct_per_connection_KiB", (heap + direct / 1024.0) / Math.max(1, sockets),
                        "rss_MiB", hubs.get(i).rssKiB() / 1024));
            }
            figures.put("nodes", nodes);
            figures.put("sockets_target", total);
            figures.put("sockets_held_by_hubs", socketsTotal);
            figures.put("sockets_open_at_clients_after_hold", open);
            figures.put("hold_seconds", seconds);
            figures.put("per_node", perNode);
            figures.put("heap_and_direct_per_connection_KiB", (heapTotal + directTotal) / Math.max(1, socketsTotal));
        } finally {
            for (ChildProcess generator : generators) {
                generator.close();
            }
        }
        int share = total / nodes;
        Vertx vertx = Vertx.vertx();
        try (ChildProcess bare = ChildProcess.start(dir, "bare", Map.of(), BareWebSocketServer.class.getName(),
                String.valueOf(basePort))) {
            bare.awaitLine("listening", Duration.ofMinutes(1));
            Map<String, Object> baseline = ConnectionsBenchmark.measure(vertx, bare, basePort, null, share, 10);
            Map<String, Object> compact = new HashMap<>(baseline);
            compact.remove("bytes_per_connection_by_class");
            figures.put("bare_vertx_baseline_one_share", compact);
            figures.put("ratio_hub_to_bare_heap_and_direct_per_connection",
                    (double) figures.get("heap_and_direct_per_connection_KiB") / (double) baseline.get("heap_and_direct_per_connection_KiB"));
        } finally {
            vertx.close().await();
        }
        Results.report("cluster-connections", figures);
    }
}
