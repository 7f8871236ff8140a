package fr.relais.webhook;

import fr.relais.net.OutboundClient;
import fr.relais.stream.StreamEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.ext.web.codec.BodyCodec;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one event to a webhook: the event as the socket frames it, with {@code Relais-Event-Id}
 * ({@code <epoch>:<offset>}, the same at every attempt, for the receiver to drop a repeat), {@code Relais-Event-Type}
 * and {@code Relais-Signature}. Delivered means answered 2xx within {@code webhooks.timeout}; redirects are not
 * followed. Each attempt is counted in {@code relais_webhook_attempts{outcome}} and timed.
 */
final class WebhookDelivery {
    /** What an attempt came to: delivered, or why not (the status or the error, as the system will read it). */
    record Attempt(boolean delivered, String error) {
    }

    private final OutboundClient client;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer timer;

    WebhookDelivery(OutboundClient client, Clock clock, MeterRegistry metrics) {
        this.client = client;
        this.clock = clock;
        this.metrics = metrics;
        this.timer = Timer.builder("relais.webhook.delivery").description("time to a receiver's answer, or to the failure")
                .register(metrics);
    }

    /** One attempt at {@code event} to {@code url}, signed with each of {@code secrets}. */
    Future<Attempt> post(URI url, StreamEvent event, List<String> secrets) {
        String body = event.toFrame();
        long start = System.nanoTime();
        return client.post(url)
                .compose(request -> request
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Relais-Event-Id", event.epoch() + ":" + event.offset())
                        .putHeader("Relais-Event-Type", event.type())
                        .putHeader("Relais-Signature", WebhookSigner.signature(clock.instant(), body, secrets.toArray(String[]::new)))
                        .as(BodyCodec.none())
                        .sendBuffer(Buffer.buffer(body))
                        .timeout(client.timeout().toMillis(), TimeUnit.MILLISECONDS))
                .map(response -> response.statusCode() / 100 == 2 ? new Attempt(true, null)
                        : new Attempt(false, "answered " + response.statusCode()))
                .otherwise(WebhookDelivery::failed)
                .onSuccess(attempt -> {
                    timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    metrics.counter("relais.webhook.attempts", "outcome", attempt.delivered() ? "delivered" : "failed").increment();
                });
    }

    /**
     * Why an attempt failed, in words that say what the system can fix and no more: the hub's own network must not be
     * mapped through the errors it reports (a refused connection and a silent one read the same).
     */
    private static Attempt failed(Throwable failure) {
        if (failure instanceof fr.relais.error.ApiError refused) {
            return new Attempt(false, refused.detail());
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            return new Attempt(false, "TLS failed (certificate or handshake)");
        }
        if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof NoStackTraceTimeoutException) {
            return new Attempt(false, "no answer within the time allowed");
        }
        return new Attempt(false, "could not connect or was cut off");
    }

    Future<Void> close() {
        return client.close();
    }
}
