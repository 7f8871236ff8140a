package fr.relais.db;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the database is and how to log in: the one description that both the reactive pool and the JDBC
 * connection used for migrations are built from.
 */
public record DatabaseEndpoint(String host, int port, String database, String user, String password,
                               SslMode sslMode, Path sslRootCert) {

    /** The TLS modes of libpq, with the same meaning. */
    public enum SslMode {
        DISABLE, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        String libpqName() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database)
                .setUser(user).setPassword(password)
                .setSslMode(io.vertx.pgclient.SslMode.of(sslMode.libpqName()))
                .setCachePreparedStatements(true)
                .setPipeliningLimit(256);
        if (sslMode != SslMode.DISABLE) {
            ClientSSLOptions ssl = new ClientSSLOptions()
                    .setHostnameVerificationAlgorithm(sslMode == SslMode.VERIFY_FULL ? "HTTPS" : "");
            if (sslRootCert != null) {
                ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert.toString()));
            } else if (sslMode == SslMode.PREFER || sslMode == SslMode.REQUIRE) {
                ssl.setTrustAll(true); // libpq semantics: require encrypts but does not check the certificate
            }
            options.setSslOptions(ssl);
        }
        return options;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Properties jdbcProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslmode", sslMode.libpqName());
        if (sslRootCert != null) {
            props.setProperty("sslrootcert", sslRootCert.toString());
        }
        return props;
    }

    /** For logs: where, never the password. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database + " (ssl " + sslMode.libpqName() + ")";
    }
}
