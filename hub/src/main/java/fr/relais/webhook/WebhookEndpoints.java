package fr.relais.webhook;

import fr.relais.config.WebhookConfig;
import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which endpoints a webhook may name: an absolute {@code https://} URL (plain HTTP only where the operator allows
 * it), without credentials or fragment, whose host resolves to public addresses only, so that a system cannot make
 * the hub call into its own network (loopback, private, link-local, unique-local; allowed only where the operator
 * says so). The address is checked when the webhook is set and again before each delivery (names may move).
 */
final class WebhookEndpoints {
    private final Vertx vertx;
    private final WebhookConfig config;

    WebhookEndpoints(Vertx vertx, WebhookConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /** The URL, checked for its form ({@code 400 invalid_field} on {@code url}). */
    URI parse(Object raw) {
        URI uri;
        try {
            uri = raw instanceof String text && text.length() <= 2000 ? new URI(text) : null;
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || scheme.equals("http") && config.allowHttp();
        if (uri == null || !allowed || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ApiError.invalidField("url", "A webhook is an absolute https:// URL, without user name or fragment"
                    + (config.allowHttp() ? " (http:// is allowed here)." : "."));
        }
        return uri;
    }

    /** Succeeds if every address of the URL's host may be called; fails with the reason otherwise. */
    Future<Void> reachable(URI uri) {
        if (config.allowPrivateAddresses()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw ApiError.invalidField("url", "The host " + uri.getHost() + " has no address.");
            }
            for (InetAddress address : addresses) {
                if (internal(address)) {
                    throw ApiError.invalidField("url", "The host " + uri.getHost() + " points into a private network.");
                }
            }
            return null;
        }, false);
    }

    private static boolean internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean sharedV4 = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64; // 100.64/10
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || sharedV4;
    }
}
