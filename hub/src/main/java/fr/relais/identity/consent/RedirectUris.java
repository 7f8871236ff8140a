package fr.relais.identity.consent;

import fr.relais.error.ApiError;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A catalogue app's redirect URIs, as an admin registers them: absolute, without a fragment (RFC 6749 §3.1.2),
 * HTTPS, or HTTP on the loopback for an app running on the patient's own machine (RFC 8252 §7.3). Requests must
 * name one of them exactly.
 */
public final class RedirectUris {
    private static final int MAX = 10;
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "[::1]", "localhost");

    private RedirectUris() {
    }

    /** The URIs in {@code value} (a JSON array of strings, or absent: none). */
    public static List<String> parse(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array) || array.size() > MAX) {
            throw ApiError.invalidField("redirectUris", "redirectUris is an array of at most " + MAX + " URIs.");
        }
        List<String> uris = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String text) || text.length() > 2000 || !acceptable(text)) {
                throw ApiError.invalidField("redirectUris", "Each redirect URI is an absolute https:// URI without a fragment "
                        + "(http:// only on the loopback: 127.0.0.1, [::1], localhost).");
            }
            if (!uris.contains(text)) {
                uris.add(text);
            }
        }
        return uris;
    }

    private static boolean acceptable(String text) {
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return false;
            }
            return uri.getScheme().equals("https") || uri.getScheme().equals("http") && LOOPBACK.contains(uri.getHost());
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
