package fr.relais.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The hub's calls out to URLs that others gave it (webhooks, push endpoints), on the Vert.x web client: redirects
 * never followed, a deadline, the JVM's CAs or the operator's, and each request sent to the address
 * {@link OutboundEndpoints} checked just before (the URL's host still names the server for TLS and {@code Host}).
 */
public final class OutboundClient {
    private final WebClient client;
    private final OutboundEndpoints endpoints;
    private final Duration timeout;

    public OutboundClient(Vertx vertx, OutboundEndpoints endpoints, String userAgent, Duration timeout, Optional<Path> trustedCertificates) {
        WebClientOptions options = new WebClientOptions().setUserAgent(userAgent).setFollowRedirects(false)
                .setConnectTimeout((int) timeout.toMillis()).setIdleTimeout((int) timeout.toSeconds() + 1)
                .setVerifyHost(true);
        trustedCertificates.ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem.toString())));
        this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(64));
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    /** A POST to {@code url}, once its host was resolved and checked; fails as {@link OutboundEndpoints#address} does. */
    public Future<HttpRequest<Buffer>> post(URI url) {
        boolean tls = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return endpoints.address(url).map(address -> client.request(HttpMethod.POST,
                        SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)),
                        new RequestOptions().setHost(url.getHost()).setPort(port).setURI(path).setSsl(tls))
                .timeout(timeout.toMillis()));
    }

    /** The time a receiver has to answer. */
    public Duration timeout() {
        return timeout;
    }

    public Future<Void> close() {
        client.close();
        return Future.succeededFuture();
    }
}
