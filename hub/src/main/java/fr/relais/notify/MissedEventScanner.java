package fr.relais.notify;

import fr.relais.config.NotifyConfig;
import fr.relais.mail.EmailOutbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Finds the events that nobody acknowledged within {@code notify.delay} and turns them into one count-only email
 * per person (into the outbox, with the stream offset it covers so the dispatcher can skip it if the person read
 * everything meanwhile). Categories set to "live" never email; "digest" ones at most once per
 * {@code notify.digestWindow}. Outside quiet hours the email leaves at once; inside, at their end.
 */
final class MissedEventScanner {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final Pool pool;
    private final EmailOutbox outbox;
    private final DigestEmails digests;
    private final NotificationSettings settings;
    private final NotifyConfig config;
    private final Clock clock;
    private final BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks;
    private final java.util.function.Supplier<String> loginUrl;

    MissedEventScanner(Pool pool, EmailOutbox outbox, DigestEmails digests, NotificationSettings settings,
                       NotifyConfig config, Clock clock,
                       BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks,
                       java.util.function.Supplier<String> loginUrl) {
        this.pool = pool;
        this.outbox = outbox;
        this.digests = digests;
        this.settings = settings;
        this.config = config;
        this.clock = clock;
        this.unsubscribeLinks = unsubscribeLinks;
        this.loginUrl = loginUrl;
    }

    /** One scan; returns how many emails were queued. */
    Future<Integer> runOnce() {
        Instant now = clock.instant();
        OffsetDateTime olderThan = OffsetDateTime.ofInstant(now.minus(config.delay()), ZoneOffset.UTC);
        return pool.preparedQuery("""
                        SELECT s.recipient_id, a.email, GREATEST(s.acked, COALESCE(c.covered, 0)) AS since, c.last_sent_at
                        FROM stream s JOIN account a ON a.id = s.recipient_id AND a.status = 'active'
                        LEFT JOIN notify_cursor c ON c.account_id = s.recipient_id
                        WHERE s.head > GREATEST(s.acked, COALESCE(c.covered, 0))
                          AND EXISTS (SELECT 1 FROM stream_event e WHERE e.recipient_id = s.recipient_id
                                        AND e."offset" > GREATEST(s.acked, COALESCE(c.covered, 0)) AND e.created_at <= $1)
                        LIMIT 500""")
                .execute(Tuple.of(olderThan))
                .compose(rows -> {
                    List<Future<Boolean>> queued = new ArrayList<>();
                    for (Row row : rows) {
                        queued.add(pool.withTransaction(tx -> person(tx, row, olderThan, now)));
                    }
                    return Future.join(queued).map(all -> (int) queued.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
                });
    }

    private Future<Boolean> person(SqlConnection tx, Row row, OffsetDateTime olderThan, Instant now) {
        UUID account = row.getUUID("recipient_id");
        long since = row.getLong("since");
        return tx.preparedQuery("""
                        SELECT "offset", type FROM stream_event WHERE recipient_id = $1 AND "offset" > $2 AND created_at <= $3
                        ORDER BY "offset" """)
                .execute(Tuple.of(account, since, olderThan))
                .compose(events -> settings.of(tx, account).compose(prefs -> {
                    Map<Category, Integer> counts = new EnumMap<>(Category.class);
                    long upTo = since;
                    boolean onlyDigests = true;
                    for (Row event : events) {
                        upTo = event.getLong("offset");
                        var category = Category.of(event.getString("type"));
                        if (category.isEmpty() || "live".equals(prefs.modes().get(category.get()))) {
                            continue;
                        }
                        counts.merge(category.get(), 1, Integer::sum);
                        onlyDigests &= "digest".equals(prefs.modes().get(category.get()));
                    }
                    OffsetDateTime lastSent = row.getOffsetDateTime("last_sent_at");
                    if (!counts.isEmpty() && onlyDigests && lastSent != null
                            && lastSent.toInstant().plus(config.digestWindow()).isAfter(now)) {
                        return Future.succeededFuture(false); // gathered into the next digest
                    }
                    long covered = upTo;
                    Future<Boolean> queued = counts.isEmpty() ? Future.succeededFuture(false)
                            : outbox.enqueue(tx, "digest:" + account + ":" + covered, account, "digest", EmailOutbox.NOTIFICATION,
                                    digests.render(row.getString("email"), prefs.locale(), new LinkedHashMap<>(counts),
                                            loginUrl.get(), unsubscribeLinks.apply(account, counts)),
                                    covered, notBefore(now, prefs.quietHours()));
                    return queued.compose(added -> tx.preparedQuery("""
                                    INSERT INTO notify_cursor (account_id, covered, last_sent_at) VALUES ($1, $2, $3)
                                    ON CONFLICT (account_id) DO UPDATE SET covered = GREATEST(notify_cursor.covered, $2),
                                        last_sent_at = COALESCE($3, notify_cursor.last_sent_at)""")
                            .execute(Tuple.of(account, covered, added ? OffsetDateTime.ofInstant(now, ZoneOffset.UTC) : null))
                            .map(added));
                }));
    }

    /** Now, or the end of the quiet hours (Paris time) if now is inside them. */
    static Instant notBefore(Instant now, LocalTime[] quiet) {
        if (quiet == null) {
            return now;
        }
        ZonedDateTime local = now.atZone(PARIS);
        LocalTime time = local.toLocalTime();
        LocalTime start = quiet[0];
        LocalTime end = quiet[1];
        boolean overnight = start.isAfter(end);
        boolean inside = overnight ? !time.isBefore(start) || time.isBefore(end) : !time.isBefore(start) && time.isBefore(end);
        if (!inside) {
            return now;
        }
        LocalDate day = local.toLocalDate();
        if (overnight && !time.isBefore(start)) {
            day = day.plusDays(1);
        }
        return day.atTime(end).atZone(PARIS).toInstant();
    }
}
