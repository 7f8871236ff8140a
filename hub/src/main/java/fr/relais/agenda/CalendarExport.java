package fr.relais.agenda;

import fr.relais.error.ApiError;
import fr.relais.identity.Tokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The agenda as an iCalendar feed (RFC 5545) behind a secret link: a calendar application subscribes to it
 * without logging in, so the link is a credential (stored hashed, revocable). Times are written in UTC.
 */
final class CalendarExport {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Pool pool;

    CalendarExport(Pool pool) {
        this.pool = pool;
    }

    /** A new secret link token for {@code account}. */
    Future<String> newLink(UUID account) {
        String token = Tokens.random(32);
        return pool.preparedQuery("INSERT INTO calendar_link (token_hash, account_id) VALUES ($1, $2)")
                .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), account)).map(token);
    }

    Future<Integer> revokeAll(UUID account) {
        return pool.preparedQuery("UPDATE calendar_link SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(account)).map(rows -> rows.rowCount());
    }

    /** The account behind a link; 404 for an unknown or revoked one. */
    Future<UUID> accountOf(String token) {
        return pool.preparedQuery("SELECT account_id FROM calendar_link WHERE token_hash = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token == null ? "" : token))))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next().getUUID("account_id"))
                        : Future.failedFuture(ApiError.nothingHere()));
    }

    static String render(JsonArray appointments, Instant now) {
        StringBuilder ics = new StringBuilder();
        line(ics, "BEGIN:VCALENDAR");
        line(ics, "VERSION:2.0");
        line(ics, "PRODID:-//Relais//Agenda//FR");
        line(ics, "CALSCALE:GREGORIAN");
        line(ics, "X-WR-CALNAME:Mon espace santé");
        for (Object raw : appointments) {
            JsonObject a = (JsonObject) raw;
            line(ics, "BEGIN:VEVENT");
            line(ics, "UID:" + a.getString("id") + "@relais");
            line(ics, "DTSTAMP:" + UTC.format(now));
            line(ics, "DTSTART:" + UTC.format(java.time.OffsetDateTime.parse(a.getString("startsAt"))));
            line(ics, "DTEND:" + UTC.format(java.time.OffsetDateTime.parse(a.getString("endsAt"))));
            line(ics, "SUMMARY:" + escape(a.getString("title")));
            line(ics, "LOCATION:" + escape(a.getString("place")));
            line(ics, "STATUS:" + ("cancelled".equals(a.getString("status")) ? "CANCELLED" : "CONFIRMED"));
            line(ics, "END:VEVENT");
        }
        line(ics, "END:VCALENDAR");
        return ics.toString();
    }

    /**
     * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, each line break (CR LF, LF or CR) as
     * {@code \n}; other control characters are not allowed in TEXT and are dropped. Nothing a person wrote can then
     * end the content line and start a property of its own.
     */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case ';' -> out.append("\\;");
                case ',' -> out.append("\\,");
                case '\n' -> out.append("\\n");
                case '\r' -> {
                    out.append("\\n");
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                }
                default -> {
                    if (c == '\t' || (c >= 0x20 && c != 0x7F)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Content lines end with CRLF and are folded at 75 octets (RFC 5545 §3.1). */
    private static void line(StringBuilder ics, String content) {
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int start = 0;
        boolean first = true;
        while (start < bytes.length) {
            int limit = first ? 75 : 74;
            int end = Math.min(bytes.length, start + limit);
            while (end < bytes.length && (bytes[end] & 0xC0) == 0x80) {
                end--; // never cut a UTF-8 character
            }
            if (!first) {
                ics.append(' ');
            }
            ics.append(new String(bytes, start, end - start, java.nio.charset.StandardCharsets.UTF_8)).append("\r\n");
            start = end;
            first = false;
        }
        if (bytes.length == 0) {
            ics.append("\r\n");
        }
    }
}
