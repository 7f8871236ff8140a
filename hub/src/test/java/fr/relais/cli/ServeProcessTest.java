package fr.relais.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.HubProcess;
import fr.relais.testing.SqlProbe;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hub as an operator runs it: a process on embedded PostgreSQL, stopped by SIGTERM, started again. */
class ServeProcessTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern PG_PORT = Pattern.compile("embedded PostgreSQL listening on 127.0.0.1:(\\d+)");

    @Test
    void startsOnEmbeddedPostgresStopsCleanlyOnSigtermAndFindsItsDataAgain() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "serve-process-" + System.nanoTime()));
        Map<String, String> env = Map.of("RELAIS_HTTP_PORT", "0", "RELAIS_HTTP_HOST", "127.0.0.1");

        try (HubProcess first = HubProcess.start(work, env)) {
            HttpTestClient http = new HttpTestClient("http://127.0.0.1:" + first.awaitPort(START));
            assertEquals(200, http.get("/health/ready").status(), first.output());
            assertTrue(http.get("/metrics").body().contains("jvm_memory_used_bytes"));

            assertEquals(0, first.terminate(START), first.output());
            assertTrue(first.output().contains("Relais stopped"), first.output());
        }
        Path cluster = work.resolve("data/postgres/cluster");
        assertTrue(Files.exists(cluster.resolve("PG_VERSION")), "the cluster lives under ./data");
        assertFalse(Files.exists(cluster.resolve("postmaster.pid")), "the embedded server was stopped too");

        try (HubProcess second = HubProcess.start(work, env)) {
            HttpTestClient http = new HttpTestClient("http://127.0.0.1:" + second.awaitPort(START));
            assertEquals(200, http.get("/health/ready").status(), second.output());

            List<Map<String, Object>> runs = database(work, second).rows(
                    "SELECT started_at, stopped_at FROM node_run ORDER BY started_at");
            assertEquals(2, runs.size(), "the first run's row survived the restart");
            assertNotNull(runs.get(0).get("stopped_at"), "the first run recorded its clean stop");
            assertNull(runs.get(1).get("stopped_at"), "the second run is still going");
            assertEquals(0, second.terminate(START), second.output());
        }
    }

    @Test
    void afterAKillTheNextStartUsesThePostgresLeftRunning() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "killed-" + System.nanoTime()));
        Map<String, String> env = Map.of("RELAIS_HTTP_PORT", "0", "RELAIS_HTTP_HOST", "127.0.0.1");
        try (HubProcess first = HubProcess.start(work, env)) {
            first.awaitPort(START);
            first.kill();
        }
        try (HubProcess second = HubProcess.start(work, env)) {
            HttpTestClient http = new HttpTestClient("http://127.0.0.1:" + second.awaitPort(START));
            assertEquals(200, http.get("/health/ready").status(), second.output());
            assertTrue(second.output().contains("already running"), second.output());
            assertEquals(0, second.terminate(START), second.output());
        }
        assertFalse(Files.exists(work.resolve("data/postgres/cluster/postmaster.pid")), "stopped with the hub that used it");
    }

    @Test
    void aBadConfigurationStopsStartUpWithOneClearLine() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "bad-config-" + System.nanoTime()));
        Files.writeString(work.resolve("bad.yaml"), "http:\n  port: 99999\n");
        try (HubProcess run = HubProcess.start(work, Map.of(), "serve", "--config", "bad.yaml")) {
            assertEquals(2, run.awaitExit(START), run.output());
            assertEquals("relais: configuration error: http.port = '99999' (from bad.yaml) "
                    + "must be a whole number from 0 to 65535", run.output().strip());
        }
        try (HubProcess run = HubProcess.start(work, Map.of("RELAIS_LOG_FORMAT", "yaml"))) {
            assertEquals(2, run.awaitExit(START), run.output());
            assertTrue(run.output().strip().startsWith("relais: configuration error: log.format = 'yaml' "
                    + "(from environment variable RELAIS_LOG_FORMAT)"), run.output());
        }
    }

    @Test
    void aPortAlreadyTakenStopsStartUpWithOneLineNamingTheKey() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "busy-port-" + System.nanoTime()));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             HubProcess run = HubProcess.start(work, Map.of("RELAIS_HTTP_PORT", String.valueOf(taken.getLocalPort()),
                     "RELAIS_HTTP_HOST", "127.0.0.1"))) {
            assertEquals(2, run.awaitExit(START), run.output());
            String line = "relais: http.port = " + taken.getLocalPort() + " is already in use on 127.0.0.1 (another Relais, "
                    + "or another server, listens there): stop it, or set http.port (RELAIS_HTTP_PORT) to a free port";
            assertTrue(run.output().lines().anyMatch(line::equals), run.output());
            assertFalse(run.output().contains("Exception") || run.output().contains("\tat "), "no stack trace:\n" + run.output());
        }
        assertFalse(Files.exists(work.resolve("data/postgres/cluster/postmaster.pid")), "the embedded server was stopped");
    }

    @Test
    void migrateAppliesTheSchemaAndExitsLoggingJsonWhenAsked() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "migrate-" + System.nanoTime()));
        try (HubProcess run = HubProcess.start(work, Map.of("RELAIS_LOG_FORMAT", "json"), "migrate")) {
            assertEquals(0, run.awaitExit(START), run.output());
            List<String> lines = run.output().lines().toList();
            assertTrue(lines.get(lines.size() - 1).matches("database schema at version \\d+"), run.output());
            List<JsonObject> logs = lines.subList(0, lines.size() - 1).stream().map(JsonObject::new).toList();
            assertTrue(logs.stream().anyMatch(log -> "INFO".equals(log.getString("level"))
                    && log.getString("formattedMessage").startsWith("database schema at version ")), run.output());
            assertTrue(logs.stream().allMatch(log -> log.containsKey("timestamp") && log.containsKey("loggerName")));
        }
        assertFalse(Files.exists(work.resolve("data/postgres/cluster/postmaster.pid")));
    }

    private static SqlProbe database(Path work, HubProcess process) throws Exception {
        Matcher port = PG_PORT.matcher(process.awaitLine(PG_PORT, START));
        assertTrue(port.find());
        String password = Files.readString(work.resolve("data/postgres/superuser-password")).strip();
        return new SqlProbe(new DatabaseEndpoint("127.0.0.1", Integer.parseInt(port.group(1)), "relais", "postgres",
                password, DatabaseEndpoint.SslMode.DISABLE, null));
    }
}
