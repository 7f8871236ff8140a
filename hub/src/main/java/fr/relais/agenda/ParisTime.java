package fr.relais.agenda;

import fr.relais.error.ApiError;
import fr.relais.web.DateWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Time as people in France read it. Appointments are entered as Paris wall-clock times (or with an explicit
 * offset), stored as instants, and shown back in Paris time. A local time that does not exist (the spring DST
 * gap) moves forward by the gap; an ambiguous one (the autumn overlap) takes the earlier instant.
 */
final class ParisTime {
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");

    private ParisTime() {
    }

    /** A time a client sent, within the {@link DateWindow}; 400 {@code invalid_field} naming {@code field} otherwise. */
    static Instant parse(Object raw, String field) {
        String text = String.valueOf(raw);
        Instant instant;
        try {
            if (text.length() > 16 && (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$"))) {
                instant = OffsetDateTime.parse(text).toInstant();
            } else {
                instant = LocalDateTime.parse(text).atZone(ZONE).toInstant();
            }
        } catch (DateTimeException e) {
            throw ApiError.invalidField(field, field + " is a Paris date and time such as 2027-03-28T10:00.");
        }
        return DateWindow.check(instant, field);
    }

    /** The instant in Paris time, or null for one outside the {@link DateWindow} (written before it was enforced). */
    static String show(Instant instant) {
        return DateWindow.contains(instant) ? instant.atZone(ZONE).toOffsetDateTime().toString() : null;
    }

    /** {@code offset} before {@code start}: whole days keep the wall-clock time (across a DST change), hours are exact. */
    static Instant before(Instant start, Duration offset) {
        if (offset.toHours() % 24 == 0 && offset.toSeconds() % 3600 == 0) {
            return ZonedDateTime.ofInstant(start, ZONE).minusDays(offset.toDays()).toInstant();
        }
        return start.minus(offset);
    }
}
