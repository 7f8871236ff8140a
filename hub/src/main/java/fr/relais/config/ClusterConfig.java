package fr.relais.config;

import java.util.List;

/** Joining other hub nodes: Hazelcast membership and the clustered event bus. */
public record ClusterConfig(boolean enabled, String host, int port, List<String> members, String name) {

    static ClusterConfig from(Settings s) {
        List<String> members = s.list("cluster.members");
        for (String member : members) {
            if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                throw s.invalid("cluster.members", "must list members as host:port");
            }
        }
        return new ClusterConfig(s.bool("cluster.enabled"), s.nonBlank("cluster.host"), s.integer("cluster.port", 1, 65535),
                members, s.nonBlank("cluster.name"));
    }

    public ClusterConfig enabledNow() {
        return new ClusterConfig(true, host, port, members, name);
    }
}
