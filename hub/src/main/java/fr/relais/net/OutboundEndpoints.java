package fr.relais.net;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs the hub may be told to call (a system's webhook, a browser's push endpoint): an absolute
 * {@code https://} URL (plain HTTP only where the operator allows it), without credentials or fragment, whose host
 * resolves to public addresses only, so that a caller cannot make the hub call into its own network (loopback,
 * private, link-local, unique-local, NAT64 and the other special ranges; allowed only where the operator says so).
 * The address is checked when the URL is given and again before each call, which connects to the address checked
 * (names may move). Refusals are {@code 400 invalid_field} naming the request's field.
 */
public final class OutboundEndpoints {
    private static final String NO_ADDRESS = " has no address.";
    private final Vertx vertx;
    private final String field;
    private final String what;
    private final boolean allowHttp;
    private final boolean allowPrivateAddresses;

    /** {@code field}: the request member the URL came in; {@code what}: the URL's name in the refusal ("A webhook"). */
    public OutboundEndpoints(Vertx vertx, String field, String what, boolean allowHttp, boolean allowPrivateAddresses) {
        this.vertx = vertx;
        this.field = field;
        this.what = what;
        this.allowHttp = allowHttp;
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** The URL, checked for its form. */
    public URI parse(Object raw) {
        URI uri;
        try {
            uri = raw instanceof String text && text.length() <= 2000 ? new URI(text) : null;
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || scheme.equals("http") && allowHttp;
        if (uri == null || !allowed || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ApiError.invalidField(field, what + " is an absolute https:// URL, without user name or fragment"
                    + (allowHttp ? " (http:// is allowed here)." : "."));
        }
        return uri;
    }

    /**
     * The address to connect to for {@code uri}: its host resolved once (on a worker thread), every address of it
     * checked (a name that points anywhere private is refused whole), and the connection made to the address checked,
     * so that a name answering differently the second time cannot slip in.
     */
    public Future<InetAddress> address(URI uri) {
        return vertx.executeBlocking(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw ApiError.invalidField(field, "The host " + uri.getHost() + NO_ADDRESS);
            }
            if (!allowPrivateAddresses) {
                for (InetAddress address : addresses) {
                    if (internal(address)) {
                        throw ApiError.invalidField(field, "The host " + uri.getHost() + " points into a private network.");
                    }
                }
            }
            return addresses[0];
        }, false);
    }

    /**
     * Whether a failure of {@link #address} is a host that has no address (maybe for a moment: DNS), rather than one
     * refused for where it points.
     */
    public static boolean unresolved(Throwable failure) {
        return failure instanceof ApiError refused && refused.detail().endsWith(NO_ADDRESS);
    }

    /** Whether an address is not a public unicast one (IANA special-purpose registries, IPv4 and IPv6). */
    public static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first >= 240 // "this network", reserved and broadcast
                    || first == 100 && (second & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
                    || first == 192 && second == 0 && (b[2] & 0xff) == 0 // 192.0.0.0/24, protocol assignments
                    || first == 198 && (second & 0xfe) == 18 // 198.18.0.0/15, benchmarking
                    || first == 192 && second == 0 && (b[2] & 0xff) == 2 // 192.0.2.0/24, documentation
                    || first == 198 && second == 51 && (b[2] & 0xff) == 100 // 198.51.100.0/24, documentation
                    || first == 203 && second == 0 && (b[2] & 0xff) == 113; // 203.0.113.0/24, documentation
        }
        boolean documentation = (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8; // 2001:db8::/32
        boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // fc00::/7
        boolean sixToFour = (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02; // 2002::/16 embeds an IPv4 address
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b; // 64:ff9b::/32
        boolean compatible = true; // ::/96, IPv4-compatible
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        return uniqueLocal || sixToFour || nat64 || compatible || documentation;
    }
}
