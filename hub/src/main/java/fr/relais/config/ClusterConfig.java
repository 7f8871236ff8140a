package fr.relais.config;

import java.util.List;
import java.util.Optional;

/**
 * Joining other hub nodes: Hazelcast membership and the clustered event bus.
 *
 * @param members           TCP-IP join: the other members as host:port
 * @param kubernetesService Kubernetes join: the DNS name of a headless service that selects the hub pods
 *                          (members and multicast are then unused)
 */
public record ClusterConfig(boolean enabled, String host, int port, List<String> members, Optional<String> kubernetesService,
                            String name) {

    static ClusterConfig from(Settings s) {
        List<String> members = s.list("cluster.members");
        for (String member : members) {
            if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                throw s.invalid("cluster.members", "must list members as host:port");
            }
        }
        Optional<String> kubernetesService = s.optionalString("cluster.kubernetesService");
        kubernetesService.ifPresent(service -> {
            if (!service.matches("[a-z0-9]([a-z0-9.\\-]*[a-z0-9])?")) {
                throw s.invalid("cluster.kubernetesService", "must be a DNS name, like relais-hz.health.svc.cluster.local");
            }
        });
        return new ClusterConfig(s.bool("cluster.enabled"), s.nonBlank("cluster.host"), s.integer("cluster.port", 1, 65535),
                members, kubernetesService, s.nonBlank("cluster.name"));
    }

    public ClusterConfig enabledNow() {
        return new ClusterConfig(true, host, port, members, kubernetesService, name);
    }
}
