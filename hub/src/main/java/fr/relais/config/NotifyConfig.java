package fr.relais.config;

import java.time.Duration;
import java.time.LocalTime;
import java.util.Optional;

/** When missed events become emails, and the default quiet hours and language. */
public record NotifyConfig(Duration delay, Duration digestWindow, Duration scanEvery, Optional<LocalTime[]> quietHours,
                           String defaultLocale) {

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
        return new NotifyConfig(s.duration("notify.delay", Duration.ZERO, Duration.ofDays(7)),
                s.duration("notify.digestWindow", Duration.ZERO, Duration.ofDays(7)),
                s.duration("notify.scanEvery", Duration.ofMillis(100), Duration.ofHours(1)), quiet, locale);
    }
}
