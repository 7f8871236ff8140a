package fr.relais.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A push service on this machine (RFC 8030), over HTTPS with a certificate of its own (the hub is told to trust
 * it): each device is a path under {@code /push/}. It takes each message as a real one would and as the browser
 * then reads it: it checks the VAPID header against the key the device subscribed with (else {@code 403}), decrypts
 * the body with the device's keys (else {@code 400}), and records what it received. Told to, it answers a path with
 * another status (404, 410, 429 with {@code Retry-After}, 500…).
 */
public final class PushReceiver implements AutoCloseable {
    /** One message as received: its headers, and its payload decrypted (or why it could not be). */
    public record Received(String path, Map<String, String> headers, JsonObject payload, List<String> problems) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private record Answer(int status, String retryAfter) {
    }

    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    private final Vertx vertx = Vertx.vertx();
    private final java.util.function.Supplier<Instant> now;
    private final Map<String, PushDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile byte[] applicationServerKey;
    private HttpServer server;
    private int port;

    /** {@code now}: the hub's time, against which the tokens' expiry is read. */
    public PushReceiver(java.util.function.Supplier<Instant> now) {
        this.now = now;
    }

    /** Listens on a free port of 127.0.0.1. */
    public PushReceiver start() {
        port = Ports.belowEphemeralRange();
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(this::handle);
        server.listen(port, "127.0.0.1").await();
        return this;
    }

    /** The PEM file the hub must trust ({@code push.trustedCertificates}). */
    public String certificatePath() {
        return certificate.certificatePath();
    }

    /** The VAPID public key that every message must be signed with (the hub's {@code applicationServerKey}). */
    public void expectKey(byte[] key) {
        this.applicationServerKey = key;
    }

    /** A new device of this service: its endpoint and the keys its browser made. */
    public PushDevice device(String name) {
        PushDevice device = PushDevice.at(origin() + "/push/" + name);
        devices.put("/push/" + name, device);
        return device;
    }

    public String origin() {
        return "https://localhost:" + port;
    }

    /** From now on, the device {@code name} is answered {@code status} (with {@code Retry-After}, when not null). */
    public void answer(String name, int status, String retryAfter) {
        answers.put("/push/" + name, new Answer(status, retryAfter));
    }

    /** What the device {@code name} was sent, in order. */
    public List<Received> receivedBy(String name) {
        return received.stream().filter(r -> r.path().equals("/push/" + name)).toList();
    }

    /** Waits for the {@code n}th message to the device {@code name}. */
    public Received await(String name, int n) {
        return Eventually.await("message " + n + " to push device " + name, Duration.ofSeconds(10), () -> receivedBy(name),
                list -> list.size() >= n).get(n - 1);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            PushDevice device = devices.get(request.path());
            List<String> problems = new ArrayList<>();
            JsonObject payload = null;
            if (device == null || !request.method().name().equals("POST")) {
                problems.add("no device at " + request.method() + " " + request.path());
            } else {
                problems.addAll(VapidCheck.problems(request.getHeader("Authorization"), applicationServerKey, origin(), now.get()));
                if (!"aes128gcm".equals(request.getHeader("Content-Encoding"))) {
                    problems.add("Content-Encoding is " + request.getHeader("Content-Encoding"));
                }
                if (request.getHeader("TTL") == null || !request.getHeader("TTL").matches("\\d+")) {
                    problems.add("TTL is " + request.getHeader("TTL"));
                }
                try {
                    payload = new JsonObject(device.decrypt(body.getBytes()).text());
                } catch (Exception e) {
                    problems.add("the body does not decrypt: " + e);
                }
            }
            received.add(new Received(request.path(), Map.copyOf(headers), payload, List.copyOf(problems)));
            Answer answer = answers.get(request.path());
            int status = !problems.isEmpty() ? (device == null ? 404 : problems.get(0).startsWith("the body") ? 400 : 403)
                    : answer == null ? 201 : answer.status();
            if (answer != null && answer.retryAfter() != null) {
                request.response().putHeader("Retry-After", answer.retryAfter());
            }
            request.response().setStatusCode(status).end();
        });
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
