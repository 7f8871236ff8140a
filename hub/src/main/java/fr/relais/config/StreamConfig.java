package fr.relais.config;

import java.time.Duration;

/** How long stream history is kept, per person. */
public record StreamConfig(Duration retention, int maxEventsPerRecipient, Duration trimEvery) {

    static StreamConfig from(Settings s) {
        return new StreamConfig(
                s.duration("stream.retention", Duration.ofMinutes(1), Duration.ofDays(3650)),
                s.integer("stream.maxEventsPerRecipient", 1, 100_000_000),
                s.duration("stream.trimEvery", Duration.ofSeconds(1), Duration.ofDays(1)));
    }
}
