package fr.relais.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client pointed at one hub, with the few calls tests need; every call has a deadline. */
public final class HttpTestClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String base;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public HttpTestClient(String base) {
        this(base, java.net.URI.create(base).getPort());
    }

    public HttpTestClient(String base, int port) {
        this.base = base;
        this.port = port;
    }

    public int port() {
        return port;
    }

    public Response get(String path) {
        return send(request(path).GET().build());
    }

    public Response post(String path, String contentType, byte[] body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Response send(String method, String path, Map<String, String> headers) {
        return send(method, path, headers, null, null);
    }

    public Response postJson(String path, JsonObject body) {
        return send("POST", path, Map.of(), "application/json", body.encode());
    }

    /** Any request: {@code contentType} and {@code body} may be null for none. */
    public Response send(String method, String path, Map<String, String> headers, String contentType, String body) {
        HttpRequest.Builder builder = request(path).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder.build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    }

    private Response send(HttpRequest request) {
        try {
            // a hard deadline on top of the request timeout, which the JDK client does not always honour
            HttpResponse<String> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(TIMEOUT.toSeconds() + 5, java.util.concurrent.TimeUnit.SECONDS);
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What came back. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }
}
