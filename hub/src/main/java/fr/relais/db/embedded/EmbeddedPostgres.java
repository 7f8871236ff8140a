package fr.relais.db.embedded;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.net.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that Relais runs itself when no database URL is configured.
 *
 * <p>The cluster lives in {@code <dir>/cluster} and survives restarts; the superuser password is generated at
 * first start and kept in {@code <dir>/superuser-password} (mode 0600), never in the repository. The server
 * listens on 127.0.0.1 only, with no Unix socket.
 *
 * <p>If the cluster's server is already running (another command beside a serving node, or a server left by a
 * killed process), it is used as found; {@link #stop()} stops it all the same, {@link #stopIfStartedHere()} not.
 *
 * <p>PostgreSQL refuses to run as root. When this process is root (as on containers and CI machines), every
 * PostgreSQL command runs inside a user namespace made by {@code unshare -U --map-user=1000 --map-group=1000}:
 * inside it the server is an ordinary user, while outside its files stay owned by root.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final PostgresBinaries binaries;
    private final Path cluster;
    private final Path logFile;
    private final String password;
    private final int port;
    private final boolean adopted;
    private boolean running;

    private EmbeddedPostgres(PostgresBinaries binaries, Path cluster, String password, int port, boolean adopted) {
        this.binaries = binaries;
        this.cluster = cluster;
        this.logFile = cluster.resolveSibling("postgres.log");
        this.password = password;
        this.port = port;
        this.adopted = adopted;
        this.running = adopted;
    }

    /**
     * Starts the server for the cluster in {@code dir}, creating the cluster at first use. A server already
     * running on that cluster (another command of this node, or one left by a killed process) is used as it is.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     */
    public static EmbeddedPostgres start(Path dir, int port) {
        Path home = dir.toAbsolutePath().normalize();
        Path cluster = home.resolve("cluster");
        PostgresBinaries binaries = PostgresBinaries.unpackInto(home.resolve("binaries"));
        String password = superuserPassword(home);
        OptionalInt runningOn = runningPort(binaries, cluster);
        if (runningOn.isPresent()) {
            log.info("embedded PostgreSQL already running on 127.0.0.1:{}; using it", runningOn.getAsInt());
            return new EmbeddedPostgres(binaries, cluster, password, runningOn.getAsInt(), true);
        }
        EmbeddedPostgres server = new EmbeddedPostgres(binaries, cluster, password,
                port == 0 ? FreePort.on("127.0.0.1") : port, false);
        server.initIfNeeded();
        server.startServer();
        return server;
    }

    /** Connection details for {@code database}, created first if it does not exist. */
    public DatabaseEndpoint endpoint(String database) {
        createDatabaseIfMissing(database);
        return new DatabaseEndpoint("127.0.0.1", port, database, SUPERUSER, password, DatabaseEndpoint.SslMode.DISABLE, null);
    }

    /** Drops {@code database} if it exists; for tests that make one database per test class. */
    public void dropDatabase(String database) {
        execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
    }

    public int port() {
        return port;
    }

    /** The process id of the running server (the postmaster), from its lock file; empty when it is not running. */
    public OptionalLong serverPid() {
        return serverPidIn(cluster);
    }

    /** The same for the embedded server kept in {@code dir} ({@code db.embedded.dir}), run by another process. */
    public static OptionalLong serverPid(Path dir) {
        return serverPidIn(dir.toAbsolutePath().normalize().resolve("cluster"));
    }

    private static OptionalLong serverPidIn(Path cluster) {
        try {
            List<String> lines = Files.readAllLines(cluster.resolve("postmaster.pid"));
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (java.nio.file.NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the server's lock file in " + cluster, e);
        }
    }

    /** Whether the server answers now (it may have been stopped behind our back, e.g. by a test). */
    public boolean isAnswering() {
        return run(List.of(binaries.bin("pg_ctl").toString(), "-D", cluster.toString(), "status"), false) == 0;
    }

    /** Stops the server only if this object started it: for commands that run beside a serving node. */
    public void stopIfStartedHere() {
        if (!adopted) {
            stop();
        }
    }

    /** Stops the server with a fast shutdown: open sessions are ended, committed data is on disk. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run(List.of(binaries.bin("pg_ctl").toString(), "-D", cluster.toString(), "-m", "fast", "-w",
                "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "stop"), true);
        running = false;
        log.info("embedded PostgreSQL stopped");
    }

    /** Starts the server again after {@link #stop()}, on the same port. */
    public synchronized void restart() {
        if (!running) {
            startServer();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void initIfNeeded() {
        if (Files.exists(cluster.resolve("PG_VERSION"))) {
            return;
        }
        Path passwordFile = cluster.resolveSibling("superuser-password");
        log.info("creating embedded PostgreSQL cluster in {}", cluster);
        run(List.of(binaries.bin("initdb").toString(), "-D", cluster.toString(), "-U", SUPERUSER,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"), true);
        appendSettings("""

                # written by Relais: loopback TCP only, no Unix socket
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                max_connections = 300
                """);
    }

    private void appendSettings(String settings) {
        try {
            Files.writeString(cluster.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port of a server that runs on this cluster now, read from its lock file. */
    private static OptionalInt runningPort(PostgresBinaries binaries, Path cluster) {
        Path lock = cluster.resolve("postmaster.pid");
        if (!Files.exists(lock)) {
            return OptionalInt.empty();
        }
        EmbeddedPostgres probe = new EmbeddedPostgres(binaries, cluster, "", 0, false);
        if (!probe.isAnswering()) {
            return OptionalInt.empty(); // a stale lock file: PostgreSQL removes it itself at start
        }
        try {
            List<String> lines = Files.readAllLines(lock); // pid, data dir, start time, port, …
            return lines.size() > 3 ? OptionalInt.of(Integer.parseInt(lines.get(3).strip())) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private synchronized void startServer() {
        run(List.of(binaries.bin("pg_ctl").toString(), "-D", cluster.toString(), "-l", logFile.toString(),
                "-o", "-p " + port, "-w", "-t", String.valueOf(COMMAND_TIMEOUT_SECONDS), "start"), true);
        running = true;
        log.info("embedded PostgreSQL listening on 127.0.0.1:{}", port);
    }

    private void createDatabaseIfMissing(String database) {
        try (Connection c = connect("postgres");
             var check = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            check.setString(1, database);
            if (!check.executeQuery().next()) {
                execute("CREATE DATABASE \"" + database + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    private void execute(String sql) {
        try (Connection c = connect("postgres"); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL refused: " + sql, e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    private int run(List<String> command, boolean mustSucceed) {
        List<String> full = new ArrayList<>();
        if (RunningUser.isRoot()) {
            full.addAll(List.of("unshare", "-U", "--map-user=1000", "--map-group=1000"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("relais-pg-", ".out");
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("PostgreSQL command timed out: " + String.join(" ", command));
                }
                int exit = process.exitValue();
                if (mustSucceed && exit != 0) {
                    throw new IllegalStateException("PostgreSQL command failed (exit " + exit + "): "
                            + String.join(" ", command) + "\n" + Files.readString(output) + tail(logFile));
                }
                return exit;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String superuserPassword(Path home) {
        Path file = home.resolve("superuser-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(home);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, password, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
