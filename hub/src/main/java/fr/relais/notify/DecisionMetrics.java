package fr.relais.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How the decisions went, per channel: {@code relais_notify_decisions_total{channel}} counts the decisions that
 * sent something by push, by email, and those that only held a digest or counted what people want live only.
 */
final class DecisionMetrics {
    private final Counter push;
    private final Counter email;
    private final Counter held;
    private final Counter liveOnly;

    DecisionMetrics(MeterRegistry registry) {
        this.push = counter(registry, "push");
        this.email = counter(registry, "email");
        this.held = counter(registry, "held");
        this.liveOnly = counter(registry, "live_only");
    }

    private static Counter counter(MeterRegistry registry, String channel) {
        return Counter.builder("relais.notify.decisions").tag("channel", channel).register(registry);
    }

    void count(Decision decision) {
        if (!decision.pushed().isEmpty()) {
            push.increment();
        }
        if (!decision.emailed().isEmpty()) {
            email.increment();
        }
        if (decision.held() != null) {
            held.increment();
        }
        if (decision.pushed().isEmpty() && decision.emailed().isEmpty() && !decision.liveOnly().isEmpty()) {
            liveOnly.increment();
        }
    }
}
