package fr.relais.config;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;

/**
 * When missed events become pushes ({@code pushDelay}) and emails ({@code delay}), how long each decision is kept,
 * and the default quiet hours and language.
 */
public record NotifyConfig(Duration delay, Duration pushDelay, Duration digestWindow, Duration scanEvery,
                           Optional<LocalTime[]> quietHours, String defaultLocale, Duration decisionRetention) {

    static NotifyConfig from(Settings s) {
        Optional<LocalTime[]> quiet = s.optionalString("notify.quietHours").map(text -> {
            String[] parts = text.split("-");
            try {
                return new LocalTime[] {LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip())};
            } catch (RuntimeException e) {
                throw s.invalid("notify.quietHours", "must look like 22:00-08:00");
            }
        });
        String locale = s.nonBlank("notify.defaultLocale");
        if (!locale.equals("fr") && !locale.equals("en")) {
            throw s.invalid("notify.defaultLocale", "must be fr or en");
        }
        Duration delay = s.duration("notify.delay", Duration.ZERO, Duration.ofDays(7));
        Duration pushDelay = s.duration("notify.pushDelay", Duration.ZERO, Duration.ofHours(1));
        if (pushDelay.compareTo(delay) > 0) {
            throw s.invalid("notify.pushDelay", "must not be longer than notify.delay: push comes before email");
        }
        return new NotifyConfig(delay, pushDelay, s.duration("notify.digestWindow", Duration.ZERO, Duration.ofDays(7)),
                s.duration("notify.scanEvery", Duration.ofMillis(100), Duration.ofHours(1)), quiet, locale,
                s.duration("notify.decisionRetention", Duration.ofHours(1), Duration.ofDays(400)));
    }
}
