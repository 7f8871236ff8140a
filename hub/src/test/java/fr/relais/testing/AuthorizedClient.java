package fr.relais.testing;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** An HTTP client that sends one person's access token with every request. */
public final class AuthorizedClient {
    private final HttpTestClient http;
    private final String accessToken;

    public AuthorizedClient(HttpTestClient http, String accessToken) {
        this.http = http;
        this.accessToken = accessToken;
    }

    public HttpTestClient.Response get(String path) {
        return http.send("GET", path, headers(), null, null);
    }

    public HttpTestClient.Response post(String path, JsonObject body) {
        return http.send("POST", path, headers(), "application/json", body.encode());
    }

    public HttpTestClient.Response put(String path, JsonObject body) {
        return http.send("PUT", path, headers(), "application/json", body.encode());
    }

    public HttpTestClient.Response delete(String path) {
        return http.send("DELETE", path, headers(), null, null);
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + accessToken);
    }
}
