package fr.relais.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The test clock starts where CI asks it to, so that the clock-sensitive classes run at night too. */
@ClockSensitive
class TestClockTest {
    @Test
    void anHourIsTheNextSuchHourInParisAndAnInstantIsThatInstant() {
        Instant morning = Instant.parse("2026-11-28T06:00:00Z"); // 07:00 in Paris
        assertEquals(Instant.parse("2026-11-29T02:00:00Z"), TestClock.start("03:00", morning));
        assertEquals(Instant.parse("2026-11-28T22:30:00Z"), TestClock.start("23:30", morning));
        assertEquals(Instant.parse("2026-11-28T11:00:00Z"), TestClock.start("12:00", morning));
        assertEquals(Instant.parse("2027-03-28T00:30:00Z"), TestClock.start("2027-03-28T01:30+01:00", morning));
        assertEquals(morning, TestClock.start("", morning));
        assertEquals(Instant.parse("2027-03-28T00:30:00Z"), TestClock.start("dst", morning), "01:30, before 02:00 becomes 03:00");
        assertEquals(Instant.parse("2027-10-31T00:30:00Z"), TestClock.start("dst2", morning), "02:30 summer time, before 03:00 becomes 02:00");
    }

    @Test
    void theSystemPropertyIsWhatTheTestHubsGet() {
        String setting = System.getProperty(TestClock.PROPERTY, "");
        Instant now = new TestClock().instant();
        if (setting.startsWith("dst")) {
            assertEquals(TestClock.start(setting, Instant.now()), now, "the same change, unless the real clock just passed one");
        } else if (setting.length() == 5) {
            assertEquals(setting, ZonedDateTime.ofInstant(now, TestClock.PARIS).toLocalTime().toString());
        } else if (!setting.isEmpty()) {
            assertEquals(TestClock.start(setting, Instant.EPOCH), now);
        }
    }
}
