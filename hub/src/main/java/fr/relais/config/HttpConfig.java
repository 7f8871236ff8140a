package fr.relais.config;

import fr.relais.web.AddressRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP and WebSocket listener.
 *
 * @param instances     gateway verticle instances sharing the port; 0 means one per core
 * @param maxBodySize   the largest request body accepted, in bytes; larger ones get 413
 * @param shutdownGrace how long a graceful stop waits for requests in flight
 */
public record HttpConfig(String host, int port, int instances, long maxBodySize, Duration shutdownGrace,
                         Optional<String> publicUrl, List<String> corsAllowedOrigins, List<String> trustedProxies,
                         Optional<Tls> tls) {

    /** PEM files of the listener's certificate chain and private key. */
    public record Tls(Path certFile, Path keyFile) {
    }

    public int instancesOrCores() {
        return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }

    public HttpConfig withPort(int actualPort) {
        return new HttpConfig(host, actualPort, instances, maxBodySize, shutdownGrace, publicUrl, corsAllowedOrigins,
                trustedProxies, tls);
    }

    static HttpConfig from(Settings s) {
        return new HttpConfig(
                s.nonBlank("http.host"),
                s.integer("http.port", 0, 65535),
                s.integer("http.instances", 0, 256),
                s.bytes("http.maxBodySize", 1024, 1L << 30),
                s.duration("http.shutdownGrace", Duration.ZERO, Duration.ofMinutes(10)),
                s.optionalString("http.publicUrl").map(url -> url.replaceAll("/+$", "")),
                s.list("http.corsAllowedOrigins"),
                trustedProxies(s),
                tls(s));
    }

    private static List<String> trustedProxies(Settings s) {
        List<String> proxies = s.list("http.trustedProxies");
        for (String proxy : proxies) {
            try {
                AddressRange.parse(proxy);
            } catch (IllegalArgumentException e) {
                throw s.invalid("http.trustedProxies", e.getMessage() + " (like 10.0.0.0/8 or 192.168.1.10)");
            }
        }
        return proxies;
    }

    private static Optional<Tls> tls(Settings s) {
        Optional<Path> cert = s.optionalPath("http.tls.certFile");
        Optional<Path> key = s.optionalPath("http.tls.keyFile");
        if (cert.isPresent() != key.isPresent()) {
            throw s.invalid(cert.isPresent() ? "http.tls.keyFile" : "http.tls.certFile",
                    "must be set together with the other TLS file");
        }
        return cert.map(c -> new Tls(c, key.get()));
    }

    /** The base of links sent to people (in emails). */
    public String publicBaseUrl(int boundPort) {
        return publicUrl.orElse((tls.isPresent() ? "https" : "http") + "://localhost:" + boundPort);
    }
}
