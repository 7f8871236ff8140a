package fr.relais.loadtest;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.db.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * One hub node in its own process with the benchmark settings (fresh embedded PostgreSQL under loadtest/target,
 * pool 32, emails as files, cheap Argon2 so that setting up thousands of people is quick, WARN logs), an admin
 * logged in through the API, and the address of its PostgreSQL for the baselines that must use the same server.
 */
final class HubProcess implements AutoCloseable {
    final Path dir;
    final int port;
    final PublicApi api;
    final String adminToken;
    private final ChildProcess process;

    private HubProcess(Path dir, int port, ChildProcess process, PublicApi api, String adminToken) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.api = api;
        this.adminToken = adminToken;
    }

    static HubProcess start(String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("loadtest", "target", name + "-" + System.currentTimeMillis())).toAbsolutePath();
        int port = ConnectionsBenchmark.freePort();
        Map<String, String> env = new HashMap<>(ConnectionsBenchmark.hubEnvironment(dir, port));
        env.put("RELAIS_DB_POOL_SIZE", "32");
        ChildProcess process = ChildProcess.start(dir, "hub", env, "fr.relais.Main", "serve");
        try {
            process.awaitLine("running at", Duration.ofMinutes(3));
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            String admin = ConnectionsBenchmark.account(dir, env, port, "admin@bench.example", "add-admin").getString("accessToken");
            return new HubProcess(dir, port, process, new PublicApi(http, port, dir.resolve("mail")), admin);
        } catch (Exception e) {
            process.close();
            throw e;
        }
    }

    /**
     * A database of its own ({@code loadtest}) on the hub's PostgreSQL server, for the baselines. The server is
     * the hub's: this process only adopts it and never stops it.
     */
    DatabaseEndpoint scratchDatabase() {
        return EmbeddedPostgres.start(dir.resolve("postgres"), 0).endpoint("loadtest");
    }

    @Override
    public void close() throws Exception {
        process.close(); // SIGTERM: the hub stops with its PostgreSQL
    }
}
