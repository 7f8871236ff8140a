package fr.relais.gateway;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/** Headers that keep browsers from sniffing, framing or caching what the hub sends; HSTS when served over TLS. */
final class SecurityHeaders {
    private final boolean tls;

    SecurityHeaders(boolean tls) {
        this.tls = tls;
    }

    void handle(RoutingContext ctx) {
        MultiMap headers = ctx.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; object-src 'none'");
        if (tls) {
            headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        ctx.next();
    }
}
