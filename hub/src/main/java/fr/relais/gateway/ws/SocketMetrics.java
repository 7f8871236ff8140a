package fr.relais.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The node's WebSocket metrics: open sockets, frames in and out, and commit-to-socket delivery latency. */
public final class SocketMetrics {
    private final AtomicInteger open = new AtomicInteger();
    private final Counter framesIn;
    private final Counter framesOut;
    private final Timer delivery;
    private final Counter slowConsumers;

    public SocketMetrics(MeterRegistry registry) {
        Gauge.builder("relais.ws.connections", open, AtomicInteger::get).description("open WebSockets").register(registry);
        framesIn = Counter.builder("relais.ws.frames.in").description("frames received").register(registry);
        framesOut = Counter.builder("relais.ws.frames.out").description("frames sent").register(registry);
        slowConsumers = Counter.builder("relais.ws.slow.consumers").description("sockets cut for not reading").register(registry);
        delivery = Timer.builder("relais.stream.delivery")
                .description("from the commit of an event to its write on a socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    void frameIn() {
        framesIn.increment();
    }

    void frameOut() {
        framesOut.increment();
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    void delivered(long committedAtNanos) {
        delivery.record(System.nanoTime() - committedAtNanos, TimeUnit.NANOSECONDS);
    }
}
