package fr.relais.testing;

import fr.relais.Hub;
import fr.relais.config.ConfigLoader;
import fr.relais.net.FreePort;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two hub nodes on one database, joined by Hazelcast on loopback and sharing one clock: node A is a {@link TestHub}
 * (people, SQL, clock), node B a second hub started after it and stopped before it.
 */
public final class TwoNodes implements BeforeAllCallback, AfterAllCallback {
    private final int hazelcastB = FreePort.on("127.0.0.1");
    private final TestHub nodeA;
    private Hub nodeB;

    private TwoNodes() {
        int hazelcastA = FreePort.on("127.0.0.1");
        String members = "127.0.0.1:" + hazelcastA + ",127.0.0.1:" + hazelcastB;
        nodeA = TestHub.create().with("cluster.enabled", "true").with("cluster.port", String.valueOf(hazelcastA))
                .with("cluster.members", members).with("cluster.name", "relais-test-" + hazelcastA);
    }

    public static TwoNodes create() {
        return new TwoNodes();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        nodeA.beforeAll(context);
        nodeB = Hub.start(ConfigLoader.load(Optional.empty(), Map.of(), nodeA.siblingSettings(hazelcastB)), nodeA.clock());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (nodeB != null) {
                nodeB.stop().await();
            }
        } finally {
            nodeA.afterAll(context);
        }
    }

    public TestHub nodeA() {
        return nodeA;
    }

    public Hub nodeB() {
        return nodeB;
    }

    /** A client of node B's HTTP API. */
    public HttpTestClient httpB() {
        return new HttpTestClient("http://127.0.0.1:" + nodeB.httpPort(), nodeB.httpPort());
    }
}
