package fr.relais.web;

import fr.relais.error.ApiError;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The dates and instants the API accepts: from 1900-01-01 to 2200-12-31 (UTC for instants). Every date and time a
 * client sends is checked here, so that nothing outside it reaches the database (PostgreSQL would store a year
 * 300000 as {@code infinity}, or refuse a year −999999999) or a reader that has to show it back.
 */
public final class DateWindow {
    public static final LocalDate FIRST = LocalDate.of(1900, 1, 1);
    public static final LocalDate LAST = LocalDate.of(2200, 12, 31);
    private static final Instant START = FIRST.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Instant END = LAST.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private DateWindow() {
    }

    public static boolean contains(Instant instant) {
        return !instant.isBefore(START) && instant.isBefore(END);
    }

    public static boolean contains(LocalDate date) {
        return !date.isBefore(FIRST) && !date.isAfter(LAST);
    }

    /** {@code instant}, if within the window; else 400 {@code invalid_field} naming {@code field}. */
    public static Instant check(Instant instant, String field) {
        if (!contains(instant)) {
            throw outside(field);
        }
        return instant;
    }

    public static LocalDate check(LocalDate date, String field) {
        if (!contains(date)) {
            throw outside(field);
        }
        return date;
    }

    /** An ISO date ({@code 2026-11-23}) within the window; 400 {@code invalid_field} otherwise. */
    public static LocalDate date(Object raw, String field) {
        try {
            return check(LocalDate.parse(String.valueOf(raw)), field);
        } catch (DateTimeException e) {
            throw ApiError.invalidField(field, field + " is a date such as 2026-11-23.");
        }
    }

    private static ApiError outside(String field) {
        return ApiError.invalidField(field, field + " must be between " + FIRST + " and " + LAST + ".");
    }
}
