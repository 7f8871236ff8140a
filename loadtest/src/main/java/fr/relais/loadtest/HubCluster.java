package fr.relais.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hub processes joined in one Hazelcast cluster on loopback, on one PostgreSQL: the first node starts the
 * embedded server and the others adopt it (same data folder). Each node is its own process, so each has its own
 * 20,000-file allowance.
 */
final class HubCluster implements AutoCloseable {
    final List<ChildProcess> nodes = new ArrayList<>();
    final List<Integer> httpPorts = new ArrayList<>();
    final List<Map<String, String>> environments = new ArrayList<>();
    private final Path dir;
    private int restarts;

    private HubCluster(Path dir) {
        this.dir = dir;
    }

    static HubCluster start(Path dir, int count) throws Exception {
        return start(dir, count, Map.of());
    }

    /** {@code count} nodes, each with the benchmark environment plus {@code settings} (RELAIS_* keys). */
    static HubCluster start(Path dir, int count, Map<String, String> settings) throws Exception {
        HubCluster cluster = new HubCluster(dir);
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cluster.httpPorts.add(ConnectionsBenchmark.freePort());
            clusterPorts.add(ConnectionsBenchmark.freePort());
        }
        String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < count; i++) {
            Map<String, String> env = new HashMap<>(ConnectionsBenchmark.hubEnvironment(dir, cluster.httpPorts.get(i)));
            env.put("RELAIS_CLUSTER_PORT", String.valueOf(clusterPorts.get(i)));
            env.put("RELAIS_CLUSTER_MEMBERS", members);
            env.put("RELAIS_CLUSTER_NAME", "loadtest-" + dir.getFileName());
            env.put("RELAIS_DB_POOL_SIZE", String.valueOf(Math.max(6, 32 / count))); // the nodes share one server
            env.putAll(settings);
            cluster.environments.add(env);
        }
        try {
            cluster.nodes.add(ChildProcess.start(dir, "hub-1", cluster.environments.get(0), "fr.relais.Main", "serve", "--cluster"));
            cluster.nodes.get(0).awaitLine("running at", Duration.ofMinutes(3)); // it starts PostgreSQL
            for (int i = 1; i < count; i++) {
                cluster.nodes.add(ChildProcess.start(dir, "hub-" + (i + 1), cluster.environments.get(i), "fr.relais.Main", "serve", "--cluster"));
            }
            for (ChildProcess node : cluster.nodes) {
                node.awaitLine("running at", Duration.ofMinutes(5));
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Kills node {@code i} with SIGKILL, as a crash would: no answer is finished, nothing is closed. */
    void kill(int i) throws InterruptedException {
        nodes.get(i).process.destroyForcibly().waitFor();
    }

    /** Starts node {@code i} again, with its environment, and waits until it serves. */
    void restart(int i) throws Exception {
        nodes.set(i, ChildProcess.start(dir, "hub-" + (i + 1) + "-restart-" + (++restarts), environments.get(i),
                "fr.relais.Main", "serve", "--cluster"));
        nodes.get(i).awaitLine("running at", Duration.ofMinutes(3));
    }

    /** The folder of the embedded PostgreSQL the first node started. */
    Path postgresDir() {
        return Path.of(environments.get(0).get("RELAIS_DB_EMBEDDED_DIR"));
    }

    int size() {
        return nodes.size();
    }

    @Override
    public void close() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) { // the first node owns PostgreSQL: it stops last
            nodes.get(i).close();
        }
    }
}
