package fr.relais.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void theShippedDefaultsDescribeAnEmbeddedHubOnPort8080() {
        RelaisConfig config = load(Map.of(), Map.of());
        assertEquals(8080, config.http().port());
        assertEquals(10 << 20, config.http().maxBodySize());
        assertEquals(Duration.ofSeconds(10), config.http().shutdownGrace());
        assertTrue(config.db().url().isEmpty(), "no URL means embedded PostgreSQL");
        assertEquals(Path.of("./data/postgres"), config.db().embedded().dir());
        assertEquals(LogConfig.Format.TEXT, config.log().format());
    }

    @Test
    void environmentVariablesOverrideTheFileWhichOverridesTheDefaults() throws IOException {
        Path file = write("""
                http:
                  port: 9000
                  maxBodySize: 64KiB
                log:
                  format: json
                """);
        RelaisConfig config = ConfigLoader.load(Optional.of(file), Map.of("RELAIS_HTTP_PORT", "9100"), Map.of());
        assertEquals(9100, config.http().port());
        assertEquals(64 * 1024, config.http().maxBodySize());
        assertEquals(LogConfig.Format.JSON, config.log().format());
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertEquals("RELAIS_HTTP_PORT", ConfigLoader.envName("http.port"));
        assertEquals("RELAIS_HTTP_MAX_BODY_SIZE", ConfigLoader.envName("http.maxBodySize"));
        assertEquals("RELAIS_DB_URL", ConfigLoader.envName("db.url"));
        assertEquals("RELAIS_DB_EMBEDDED_DIR", ConfigLoader.envName("db.embedded.dir"));
    }

    @Test
    void aBadValueIsRefusedWithTheKeyTheValueAndItsSource() {
        ConfigException fromEnv = assertThrows(ConfigException.class, () -> load(Map.of("RELAIS_HTTP_PORT", "80a"), Map.of()));
        assertEquals("configuration error: http.port = '80a' (from environment variable RELAIS_HTTP_PORT) "
                + "must be a whole number from 0 to 65535", fromEnv.getMessage());

        assertMessage(Map.of("http.maxBodySize", "lots"), "http.maxBodySize = 'lots'", "must be a size");
        assertMessage(Map.of("http.shutdownGrace", "soon"), "http.shutdownGrace = 'soon'", "must be a duration");
        assertMessage(Map.of("log.format", "xml"), "log.format = 'xml'", "must be one of text, json");
        assertMessage(Map.of("db.sslMode", "maybe"), "db.sslMode", "disable, prefer, require, verify-ca, verify-full");
        assertMessage(Map.of("db.poolSize", "0"), "db.poolSize = '0'", "from 1 to 1000");
        assertMessage(Map.of("db.url", "mysql://x/y"), "db.url = 'mysql://x/y'", "must look like postgresql://");
        assertMessage(Map.of("cluster.kubernetesService", "Relais HZ"), "cluster.kubernetesService", "must be a DNS name");
        assertMessage(Map.of("http.trustedProxies", "proxy.example"), "http.trustedProxies", "is not an IP address or CIDR range");
        assertMessage(Map.of("http.trustedProxies", "10.0.0.0/33"), "http.trustedProxies", "prefix length that is not between 0 and 32");
    }

    @Test
    void secretsNeverAppearInErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("db.url", "mysql://alice:s3cret@db/relais")));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("://***@"), e.getMessage());
    }

    @Test
    void anUnknownKeyInTheFileStopsStartUp() throws IOException {
        Path file = write("http:\n  prot: 9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
        assertEquals("configuration error: unknown key http.prot (in " + file + ")", e.getMessage());
    }

    @Test
    void aMissingOrMalformedFileIsReported() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals("configuration error: file " + missing + " does not exist",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(missing), Map.of(), Map.of())).getMessage());
        Path broken = write("http: [port: 1\n");
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(broken), Map.of(), Map.of())).getMessage();
        assertTrue(message.startsWith("configuration error: " + broken + " is not valid YAML"), message);
    }

    @Test
    void anExternalDatabaseUrlGivesTheEndpoint() {
        RelaisConfig config = load(Map.of("RELAIS_DB_URL", "postgresql://db.internal:6432/health",
                "RELAIS_DB_PASSWORD", "pw", "RELAIS_DB_SSL_MODE", "verify-full"), Map.of());
        DatabaseEndpoint endpoint = config.db().external().orElseThrow();
        assertEquals("db.internal", endpoint.host());
        assertEquals(6432, endpoint.port());
        assertEquals("health", endpoint.database());
        assertEquals("relais", endpoint.user());
        assertEquals("pw", endpoint.password());
        assertEquals(DatabaseEndpoint.SslMode.VERIFY_FULL, endpoint.sslMode());
        assertFalse(endpoint.toString().contains("pw"), "the endpoint's description hides the password");
    }

    private void assertMessage(Map<String, String> overrides, String... parts) {
        String message = assertThrows(ConfigException.class, () -> load(Map.of(), overrides)).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), message + " should contain " + part);
        }
        assertEquals(1, message.lines().count(), "one line");
    }

    private static RelaisConfig load(Map<String, String> env, Map<String, String> overrides) {
        return ConfigLoader.load(Optional.empty(), env, overrides);
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "relais", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
