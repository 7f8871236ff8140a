package fr.relais.testing;

import fr.relais.db.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An embedded PostgreSQL server frozen with SIGSTOP: a server that hangs rather than refuses. Its TCP port stays
 * open (the kernel still accepts connections and data) but nothing answers. Closing this object thaws it with
 * SIGCONT; use it in try-with-resources, so that a failing test never leaves a frozen server behind (a shutdown
 * hook thaws it too if the JVM exits first).
 *
 * <pre>
 * try (FrozenPostgres frozen = FrozenPostgres.freeze(hub.hub().embeddedDatabase().orElseThrow())) {
 *     …
 * }
 * </pre>
 */
public final class FrozenPostgres implements AutoCloseable {
    private final Set<Long> stopped = new LinkedHashSet<>();
    private final Thread thawAtExit = new Thread(this::thaw, "frozen-postgres-thaw");

    private FrozenPostgres() {
    }

    /**
     * Stops the postmaster and every process under it. SIGSTOP on the postmaster alone would leave the backends
     * answering the connections they already serve.
     */
    public static FrozenPostgres freeze(EmbeddedPostgres server) {
        return freeze(server.serverPid().orElseThrow(() -> new IllegalStateException("the server is not running")));
    }

    /** The same for a server run by another process (the load tests' hubs): its postmaster's process id. */
    public static FrozenPostgres freeze(long postmaster) {
        FrozenPostgres frozen = new FrozenPostgres();
        Runtime.getRuntime().addShutdownHook(frozen.thawAtExit);
        try {
            frozen.stop(List.of(postmaster)); // first, so that no backend is forked while the others are stopped
            List<Long> more = frozen.unstoppedDescendants(postmaster);
            while (!more.isEmpty()) { // a fork that was under way shows up on the next pass
                frozen.stop(more);
                more = frozen.unstoppedDescendants(postmaster);
            }
            return frozen;
        } catch (RuntimeException e) {
            frozen.close();
            throw e;
        }
    }

    /** How many processes are stopped (the postmaster, its backends and its auxiliary processes). */
    public int processes() {
        return stopped.size();
    }

    @Override
    public void close() {
        thaw();
        try {
            Runtime.getRuntime().removeShutdownHook(thawAtExit);
        } catch (IllegalStateException exiting) {
            // the hook runs or has run
        }
    }

    private synchronized void thaw() {
        if (!stopped.isEmpty()) {
            signal("CONT", new ArrayList<>(stopped)); // best effort: a process that has exited is simply skipped by kill
            stopped.clear();
        }
    }

    private List<Long> unstoppedDescendants(long postmaster) {
        return ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::descendants)
                .map(ProcessHandle::pid).filter(pid -> !stopped.contains(pid)).toList();
    }

    private synchronized void stop(List<Long> pids) {
        stopped.addAll(pids);
        String failure = signal("STOP", pids);
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Sends the signal to each process; returns why kill failed, or null. */
    private static String signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return kill.exitValue() == 0 ? null
                    : String.join(" ", command) + " failed: " + new String(kill.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
