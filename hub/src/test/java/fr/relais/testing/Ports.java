package fr.relais.testing;

/** Ports for the servers tests start beside the hub. */
public final class Ports {
    private Ports() {
    }

    /** A free port below the ephemeral range: a server stopped and started again on it cannot be taken meanwhile by a client. */
    public static int belowEphemeralRange() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_000);
            try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (java.io.IOException taken) {
                // another one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
