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

    private HubCluster() {
    }

    static HubCluster start(Path dir, int count) throws Exception {
        HubCluster cluster = new HubCluster();
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
