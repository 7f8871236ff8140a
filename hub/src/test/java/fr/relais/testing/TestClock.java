package fr.relais.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The test hubs' clock: it stands still, and tests move it forward by hand. It starts at the instant named by the
 * system property {@value #PROPERTY} (so that CI can run the suite at night, or on a DST change day, whatever the
 * machine's hour), else at the real time:
 * <ul>
 *   <li>{@code 03:00}: the next 03:00 in Paris after the real time (less than a day ahead, so a browser's clock
 *       shifted to match stays close to the real one);</li>
 *   <li>{@code dst} (or {@code dst2}): half an hour before Paris's next change of summer time (or the one after),
 *       so that the day the test hubs live through is a daylight-saving change day;</li>
 *   <li>{@code 2027-03-28T01:30+01:00}: that instant (an offset date-time, ISO 8601).</li>
 * </ul>
 */
public final class TestClock extends Clock {
    public static final String PROPERTY = "relais.test.clock";
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final AtomicReference<Instant> now = new AtomicReference<>(start(System.getProperty(PROPERTY, ""), Instant.now()));

    /** The instant a clock named by {@code setting} starts at, given the real time. */
    static Instant start(String setting, Instant real) {
        String value = setting.trim();
        if (value.isEmpty()) {
            return real;
        }
        if (value.startsWith("dst")) {
            var transition = PARIS.getRules().nextTransition(real);
            if (value.equals("dst2")) {
                transition = PARIS.getRules().nextTransition(transition.getInstant());
            }
            return transition.getInstant().minus(Duration.ofMinutes(30));
        }
        if (value.length() <= 5) {
            ZonedDateTime paris = real.atZone(PARIS);
            ZonedDateTime next = paris.with(LocalTime.parse(value));
            return (next.isAfter(paris) ? next : next.plusDays(1).with(LocalTime.parse(value))).toInstant();
        }
        return OffsetDateTime.parse(value).toInstant();
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /** How far this clock is from the real time now (a browser shifts its own clock by this much). */
    public Duration offsetFromRealTime() {
        return Duration.between(Instant.now(), instant());
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
