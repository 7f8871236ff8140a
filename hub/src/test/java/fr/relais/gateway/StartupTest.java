package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StartupTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void liveAndReadyAnswerOnceStarted() {
        Response live = hub.http().get("/health/live");
        assertEquals(200, live.status());
        assertEquals("UP", live.json().getString("status"));

        Response ready = hub.http().get("/health/ready");
        assertEquals(200, ready.status());
        assertEquals("UP", ready.json().getString("status"));
        assertEquals("UP", ready.json().getJsonObject("checks").getString("database"));
    }

    @Test
    void migrationsAreAppliedAndTheRunIsRecorded() {
        assertEquals(1, hub.sql().count("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"));
        var runs = hub.sql().rows("SELECT host, version, stopped_at FROM node_run");
        assertEquals(1, runs.size());
        assertNull(runs.get(0).get("stopped_at"), "a running node has no stop time");
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        hub.http().get("/health/ready"); // at least one request and one pool query to count
        // the counters of a request are updated just after its response is sent: poll rather than race it
        Response metrics = Eventually.await("request metrics", Duration.ofSeconds(10),
                () -> hub.http().get("/metrics"), r -> r.body().contains("vertx_http_server_requests_total"));
        assertEquals(200, metrics.status());
        assertTrue(metrics.header("Content-Type").startsWith("text/plain"), metrics.header("Content-Type"));
        for (String series : new String[] {
                "vertx_http_server_requests_total", "vertx_pool_", "jvm_memory_used_bytes", "jvm_gc_", "process_cpu_usage",
                "vertx_http_server_active_connections"}) {
            assertTrue(metrics.body().contains(series), "missing " + series);
        }
    }

    @Test
    void everyResponseCarriesARequestIdAndSecurityHeaders() {
        Response given = hub.http().send("GET", "/health/live", java.util.Map.of("X-Request-Id", "trace-42"));
        assertEquals("trace-42", given.header("X-Request-Id"));
        Response unsafe = hub.http().send("GET", "/health/live", java.util.Map.of("X-Request-Id", "bad id\\u0000"));
        assertNotNull(unsafe.header("X-Request-Id"));
        assertTrue(unsafe.header("X-Request-Id").matches("[0-9a-f-]{36}"), "an unsafe id is replaced");
        assertEquals("nosniff", given.header("X-Content-Type-Options"));
        assertEquals("DENY", given.header("X-Frame-Options"));
    }
}
