package fr.relais.gateway;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/** Cross-origin access to the API for the browser origins listed in {@code http.corsAllowedOrigins}, and no other. */
final class Cors {
    private Cors() {
    }

    static CorsHandler allowing(List<String> origins) {
        return CorsHandler.create()
                .addOrigins(origins)
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"))
                .exposedHeaders(Set.of("X-Request-Id", "Retry-After"))
                .allowCredentials(false)
                .maxAgeSeconds(600);
    }
}
