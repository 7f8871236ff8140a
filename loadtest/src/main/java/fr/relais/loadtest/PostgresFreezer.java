package fr.relais.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes the embedded PostgreSQL server (the postmaster and every backend) with SIGSTOP and thaws it with
 * SIGCONT: a database that hangs rather than refuses, with its TCP connections still open.
 */
final class PostgresFreezer {
    private final Path cluster;
    private List<Long> frozen = List.of();

    PostgresFreezer(Path postgresDir) {
        this.cluster = postgresDir.resolve("cluster");
    }

    void freeze() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).get(0).strip());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> pids.add(p.pid()));
        frozen = pids;
        signal("-STOP", pids);
    }

    void thaw() throws IOException, InterruptedException {
        signal("-CONT", frozen);
        frozen = List.of();
    }

    int frozenProcesses() {
        return frozen.size();
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
    }
}
