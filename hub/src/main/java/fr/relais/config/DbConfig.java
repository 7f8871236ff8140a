package fr.relais.config;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.db.PoolLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The database. With no {@code url}, Relais runs an embedded PostgreSQL itself.
 *
 * @param url a {@code postgresql://[user[:password]@]host[:port]/database} URL of an external server
 */
public record DbConfig(Optional<String> url, String user, String password, DatabaseEndpoint.SslMode sslMode,
                       Optional<Path> sslRootCert, PoolLimits pool, Embedded embedded) {

    /** The endpoint of the external server named by {@code url}; empty when the embedded server is used. */
    public Optional<DatabaseEndpoint> external() {
        return url.map(u -> {
            URI parsed = URI.create(u.replaceFirst("^jdbc:", ""));
            if (parsed.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            String[] userInfo = parsed.getUserInfo() == null ? new String[0] : parsed.getUserInfo().split(":", 2);
            String userName = userInfo.length > 0 && !userInfo[0].isEmpty() ? userInfo[0] : user;
            String secret = password.isEmpty() && userInfo.length > 1 ? userInfo[1] : password;
            String database = parsed.getPath() == null || parsed.getPath().length() <= 1 ? "relais" : parsed.getPath().substring(1);
            return new DatabaseEndpoint(parsed.getHost(), parsed.getPort() == -1 ? 5432 : parsed.getPort(), database,
                    userName, secret, sslMode, sslRootCert.orElse(null));
        });
    }

    /** Where the embedded server keeps its cluster and binaries, and the port it listens on (0: a free one). */
    public record Embedded(Path dir, int port, String database) {
    }

    static DbConfig from(Settings s) {
        Optional<String> url = s.optionalString("db.url");
        url.ifPresent(u -> {
            if (!u.matches("(jdbc:)?postgres(ql)?://[^/?#]+(/[^?#]*)?(\\?.*)?")) {
                throw s.invalid("db.url", "must look like postgresql://host:5432/relais");
            }
        });
        DbConfig config = new DbConfig(url,
                s.nonBlank("db.user"),
                s.string("db.password"),
                s.oneOf("db.sslMode", DatabaseEndpoint.SslMode.class),
                s.optionalPath("db.sslRootCert"),
                new PoolLimits(s.integer("db.poolSize", 1, 1000),
                        s.duration("db.acquireTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                        s.duration("db.queryTimeout", Duration.ofSeconds(1), Duration.ofHours(1))),
                new Embedded(Path.of(s.nonBlank("db.embedded.dir")),
                        s.integer("db.embedded.port", 0, 65535),
                        s.nonBlank("db.embedded.database")));
        try {
            config.external();
        } catch (RuntimeException e) {
            throw s.invalid("db.url", "is not a PostgreSQL URL: " + e.getMessage());
        }
        return config;
    }
}
