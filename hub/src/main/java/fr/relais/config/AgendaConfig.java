package fr.relais.config;

import java.time.Duration;
import java.util.List;

/** The agenda's reminder offsets and the scheduler's timings. */
public record AgendaConfig(List<Duration> reminderOffsets, Duration tickInterval, Duration lease, int batchSize,
                           int maxAttempts, Duration treatmentStaleAfter, Duration planEvery, Duration treatmentHorizon) {

    static AgendaConfig from(Settings s) {
        List<Duration> offsets = new java.util.ArrayList<>();
        for (String offset : s.list("agenda.reminderOffsets")) {
            Settings one = new Settings();
            one.put("offset", offset, "agenda.reminderOffsets");
            try {
                offsets.add(one.duration("offset", Duration.ofMinutes(1), Duration.ofDays(365)));
            } catch (ConfigException e) {
                throw s.invalid("agenda.reminderOffsets", "must list durations such as 7d, 1d, 2h");
            }
        }
        return new AgendaConfig(List.copyOf(offsets),
                s.duration("agenda.tickInterval", Duration.ofMillis(50), Duration.ofMinutes(10)),
                s.duration("agenda.lease", Duration.ofSeconds(1), Duration.ofHours(1)),
                s.integer("agenda.batchSize", 1, 100_000),
                s.integer("agenda.maxAttempts", 1, 100),
                s.duration("agenda.treatmentStaleAfter", Duration.ofMinutes(1), Duration.ofDays(7)),
                s.duration("agenda.planEvery", Duration.ofMinutes(1), Duration.ofDays(7)),
                s.duration("agenda.treatmentHorizon", Duration.ofHours(1), Duration.ofDays(60)));
    }
}
