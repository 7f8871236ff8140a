package fr.relais.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import fr.relais.config.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A Vert.x instance for this node: alone, or a member of the cluster (Hazelcast as the cluster manager,
 * TCP-IP members or multicast), so that stream events, session revocations and mail kicks published on one
 * node reach the gateways of every node. Vert.x's own Hazelcast settings are kept; only the network changes.
 */
public final class ClusterNode {
    private ClusterNode() {
    }

    /** Builds the instance; blocking when clustered (joining takes a few seconds). */
    public static Vertx start(VertxBuilder builder, VertxOptions options, ClusterConfig cluster) {
        if (!cluster.enabled()) {
            return builder.with(options).build();
        }
        Config hazelcast = ConfigUtil.loadConfig();
        hazelcast.setClusterName(cluster.name());
        hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.logging.type", "slf4j");
        NetworkConfig network = hazelcast.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(true).setPublicAddress(cluster.host());
        if (cluster.host().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            network.getInterfaces().setEnabled(true).addInterface(cluster.host()); // interfaces are IP patterns only
        }
        JoinConfig join = network.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        boolean kubernetes = cluster.kubernetesService().isPresent();
        join.getMulticastConfig().setEnabled(!kubernetes && cluster.members().isEmpty());
        join.getTcpIpConfig().setEnabled(!kubernetes && !cluster.members().isEmpty()).setMembers(cluster.members());
        cluster.kubernetesService().ifPresent(service -> // DNS lookup mode: needs no access to the Kubernetes API
                join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", service));
        options.setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(0).setClusterPublicHost(cluster.host()));
        return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
    }
}
