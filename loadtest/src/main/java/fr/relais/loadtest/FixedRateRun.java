package fr.relais.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The generator, open loop: send {@code k} is meant to leave at {@code start + k / rate}, whatever the server
 * does, and each latency is taken from that intended time (the frame on the recipient's raw socket, and the
 * HTTP answer), so a server that stalls cannot slow the generator down and hide it. A pacer thread hands each
 * send at its time to one of the generator's event loops, which sends it on a pooled, keep-alive HTTP client (or,
 * for a target written to by socket commands, on that loop's command socket).
 * The first seconds warm up (sent and checked, not measured); at the end the run waits for every answer and
 * every delivery (up to {@link #DRAIN}) and counts what is missing, duplicated or out of order.
 */
final class FixedRateRun {
    static final Duration DRAIN = Duration.ofSeconds(10);
    /**
     * Enough that the generator never caps the requests in flight below what the server could take (HTTP/1.1 has
     * one request per connection at a time: 64 connections at 20 ms each would cap it at 3,200/s).
     */
    private static final int HTTP_CONNECTIONS = 256;

    private FixedRateRun() {
    }

    static Map<String, Object> run(Vertx vertx, Target target, RecipientSockets sockets, List<Target.Lane> lanes,
                                   int rate, Duration warmup, Duration measure) {
        List<Context> loops = new CopyOnWriteArrayList<>();
        String deployment = vertx.deployVerticle(() -> new SendingLoop(loops), new DeploymentOptions().setInstances(2)).await();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(target.port())
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(HTTP_CONNECTIONS));
        DeliveryLedger ledger = new DeliveryLedger();
        CommandSockets commands = target.overSocket() ? CommandSockets.open(vertx, target, loops,
                target.request().apply(lanes.get(0)).token() == null ? "sender" : target.request().apply(lanes.get(0)).token()) : null;
        sockets.countIn(ledger);
        long closedBefore = sockets.closed.get();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + Duration.ofMillis(20).toNanos();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        long sends = 0;
        for (long intended = start; intended < windowEnd; intended = start + ++sends * period) {
            while (System.nanoTime() < intended) {
                LockSupport.parkNanos(intended - System.nanoTime());
            }
            long k = sends;
            long at = intended;
            Context loop = loops.get((int) (k % loops.size()));
            Target.Lane lane = lanes.get((int) (k % lanes.size()));
            loop.runOnContext(v -> {
                if (commands == null) {
                    send(http, target, lane, at, at >= windowStart, ledger);
                } else {
                    late(at, at >= windowStart, ledger);
                    commands.send(loop, target.request().apply(lane), lane, at, at >= windowStart, ledger);
                }
            });
        }
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < drainUntil && (ledger.answered.get() < sends || ledger.delivered() < ledger.acknowledgedCount())) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        DeliveryLedger.Outcome outcome = ledger.outcome(windowStart, windowEnd);

        double seconds = measure.toNanos() / 1e9;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("offered_per_s", rate);
        figures.put("achieved_per_s", Math.round(outcome.deliveredInWindow() / seconds));
        figures.put("sent", sends);
        figures.put("acknowledged", ledger.acknowledgedCount());
        figures.put("unanswered", sends - ledger.answered.get());
        figures.put("errors", ledger.errors.get());
        if (ledger.firstError() != null) {
            figures.put("first_error", ledger.firstError());
        }
        figures.put("missing", outcome.missing());
        figures.put("duplicated", ledger.duplicates.get());
        figures.put("out_of_order", ledger.outOfOrder.get());
        figures.put("sockets_closed", sockets.closed.get() - closedBefore);
        figures.put("send_to_socket_ms", Results.percentiles(outcome.toSocket()));
        figures.put("rest_answer_ms", Results.percentiles(outcome.answer()));
        figures.put("generator_late_ms", Results.percentiles(outcome.generatorLate()));
        figures.put("warmup_s", warmup.toSeconds());
        figures.put("measured_s", measure.toSeconds());
        http.close().await(); // after the count: requests still unanswered fail now, and must not count as errors
        if (commands != null) {
            commands.close();
        }
        vertx.undeploy(deployment).await();
        return figures;
    }

    private static void send(HttpClient http, Target target, Target.Lane lane, long intendedAt, boolean measured,
                             DeliveryLedger ledger) {
        late(intendedAt, measured, ledger);
        Target.Request request = target.request().apply(lane);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(request.path())
                .putHeader("Content-Type", "application/json").setIdleTimeout(30_000);
        if (request.token() != null) {
            options.putHeader("Authorization", "Bearer " + request.token());
        }
        http.request(options)
                .compose(r -> r.send(request.body()))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException(response.statusCode() + " " + body);
                    }
                    return new JsonObject(body).getString("id");
                }))
                .onComplete(answer -> {
                    if (answer.succeeded()) {
                        ledger.acknowledged(answer.result(), lane.recipient(), intendedAt, System.nanoTime(), measured);
                    } else {
                        ledger.failed(String.valueOf(answer.cause().getMessage()));
                    }
                });
    }

    private static void late(long intendedAt, boolean measured, DeliveryLedger ledger) {
        if (measured) {
            ledger.generatorLate.recordValue(Math.max(1, System.nanoTime() - intendedAt));
        }
    }

    /** A verticle that only lends its event loop to the sends (one instance per loop wanted). */
    private static final class SendingLoop extends VerticleBase {
        private final List<Context> lent;

        SendingLoop(List<Context> lent) {
            this.lent = lent;
        }

        @Override
        public Future<?> start() {
            lent.add(context);
            return Future.succeededFuture();
        }
    }
}
