package fr.relais.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Handler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.EnumSet;

/**
 * The metrics of one hub process, in one Prometheus registry of its own (not Micrometer's global one, so that
 * several hubs in one JVM, as in tests, keep apart): Vert.x's own (HTTP, WebSocket, pool, event bus) and the JVM's.
 */
public final class HubMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public HubMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Netty allocates its direct buffers itself, outside the JVM's direct buffer pool
        io.micrometer.core.instrument.Gauge.builder("relais.netty.direct.memory", PlatformDependent::usedDirectMemory)
                .description("direct memory held by Netty's buffers (pooled arenas included)").baseUnit("bytes")
                .register(registry);
    }

    /** Makes the Vert.x instance report into this registry (sets the metrics options on {@code options}). */
    public VertxBuilder instrument(VertxBuilder builder, VertxOptions options) {
        // Only low-cardinality labels: a path label would make one series per document or conversation id.
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
                        Label.EB_ADDRESS, Label.EB_FAILURE, Label.NAMESPACE));
        return builder.with(options.setMetricsOptions(metrics)).withMetrics(new MicrometerMetricsFactory(registry));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Serves the registry in the Prometheus text format. */
    public Handler<RoutingContext> scrapeHandler() {
        return PrometheusScrapingHandler.create(registry);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
