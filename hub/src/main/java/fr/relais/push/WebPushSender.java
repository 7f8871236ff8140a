package fr.relais.push;

import com.interaso.webpush.WebPush;
import fr.relais.config.PushConfig;
import fr.relais.error.ApiError;
import fr.relais.net.OutboundClient;
import fr.relais.net.OutboundEndpoints;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one push message to one device (RFC 8030): the payload encrypted for it (RFC 8291, {@code aes128gcm}, by
 * the library), signed for the push service with the hub's VAPID key (RFC 8292), POSTed with the Vert.x web client
 * to the address its endpoint resolves to, checked again first. What to send, and to whom, is the caller's choice;
 * this only says how it went ({@link PushOutcome}), and deletes the device when the push service says it is gone.
 * Logs name ids and statuses, never an endpoint.
 */
public final class WebPushSender {
    private static final Logger log = LoggerFactory.getLogger(WebPushSender.class);
    /** The payload's members: anything else is refused, so that nothing else can travel. */
    private static final Set<String> MEMBERS = Set.of("title", "body", "url", "count", "tag");
    /** A 4096-byte record less its header (86), tag (16) and padding delimiter (1). */
    private static final int MAX_PLAINTEXT = 4096 - 86 - 16 - 1;
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final PushSubscriptions subscriptions;
    private final Vertx vertx;
    private final OutboundClient client;
    private final WebPush webPush;
    private final VapidTokens tokens;
    private final PushConfig config;
    private final Clock clock;

    WebPushSender(Vertx vertx, PushSubscriptions subscriptions, OutboundClient client, WebPush webPush,
                  VapidTokens tokens, PushConfig config, Clock clock) {
        this.vertx = vertx;
        this.subscriptions = subscriptions;
        this.client = client;
        this.webPush = webPush;
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
    }

    /** The devices of {@code account} that may be sent to (none while push is disabled). */
    public Future<List<UUID>> subscriptionsOf(UUID account) {
        return config.enabled() ? subscriptions.idsOf(account) : Future.succeededFuture(List.of());
    }

    /**
     * Sends {@code payload} ({@code {title, body, url, count, tag}}, at most 3,993 bytes as JSON) to the device
     * {@code subscriptionId}; {@code topic} (1 to 32 base64url characters, or null) lets the push service replace a
     * message still waiting with the same topic. A payload or topic not of that form fails the future
     * ({@code IllegalArgumentException}): that is the caller's mistake, not the device's.
     */
    public Future<PushOutcome> send(UUID subscriptionId, JsonObject payload, String topic) {
        byte[] plaintext;
        try {
            plaintext = checked(payload, topic);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        if (!config.enabled()) {
            return Future.succeededFuture(PushOutcome.rejected("push is disabled on this hub"));
        }
        return subscriptions.load(subscriptionId).compose(found -> found.isEmpty()
                        ? Future.succeededFuture(PushOutcome.gone("no such subscription"))
                        : post(found.get(), plaintext, topic))
                .onSuccess(outcome -> log.info("push to subscription {}: {} ({})", subscriptionId, outcome.kind(), outcome.reason()));
    }

    /** Encrypted on a worker: a P-256 key pair and agreement per push is milliseconds of CPU, too long for an event loop. */
    private Future<PushOutcome> post(PushSubscriptions.Subscription device, byte[] plaintext, String topic) {
        return vertx.executeBlocking(() -> webPush.getBody(plaintext, device.p256dh(), device.auth()), false)
                .compose(body -> send(device, body, topic));
    }

    private Future<PushOutcome> send(PushSubscriptions.Subscription device, byte[] body, String topic) {
        var headers = webPush.getHeadersWithToken(tokens.token(device.endpoint()), (int) config.ttl().toSeconds(), topic,
                WebPush.Urgency.Normal);
        return client.post(device.endpoint())
                .compose(request -> {
                    headers.forEach(request::putHeader);
                    return request.as(BodyCodec.none()).sendBuffer(Buffer.buffer(body))
                            .timeout(client.timeout().toMillis(), TimeUnit.MILLISECONDS);
                })
                .transform(answer -> outcome(device, answer));
    }

    private Future<PushOutcome> outcome(PushSubscriptions.Subscription device, AsyncResult<HttpResponse<Void>> answer) {
        if (answer.failed()) {
            Throwable failure = answer.cause();
            if (failure instanceof ApiError refused && !OutboundEndpoints.unresolved(refused)) {
                return Future.succeededFuture(PushOutcome.rejected("the endpoint is refused: " + refused.detail()));
            }
            return Future.succeededFuture(PushOutcome.retry(Optional.empty(), failure instanceof ApiError ? "the host has no address"
                    : failure instanceof javax.net.ssl.SSLException ? "TLS failed" : "no answer (network or time-out)"));
        }
        int status = answer.result().statusCode();
        if (status / 100 == 2) {
            return subscriptions.used(device.id()).map(PushOutcome.sent());
        }
        if (status == 404 || status == 410) {
            return subscriptions.delete(device.id()).map(PushOutcome.gone("answered " + status));
        }
        if (status == 429 || status / 100 == 5) {
            return Future.succeededFuture(PushOutcome.retry(retryAfter(answer.result().getHeader("Retry-After")), "answered " + status));
        }
        return Future.succeededFuture(PushOutcome.rejected("answered " + status));
    }

    /** {@code Retry-After} as seconds or as an HTTP date (read against the hub's clock); empty when absent or unreadable. */
    private Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static byte[] checked(JsonObject payload, String topic) {
        if (payload == null || !MEMBERS.containsAll(payload.fieldNames())) {
            throw new IllegalArgumentException("a push payload has only " + MEMBERS);
        }
        Object url = payload.getValue("url");
        if (url != null && !(url instanceof String path && path.startsWith("/") && !path.startsWith("//"))) {
            throw new IllegalArgumentException("a push payload's url is a path of the portal");
        }
        if (topic != null && !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("a topic has 1 to 32 base64url characters");
        }
        byte[] plaintext = payload.encode().getBytes(StandardCharsets.UTF_8);
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a push payload has at most " + MAX_PLAINTEXT + " bytes");
        }
        return plaintext;
    }
}
