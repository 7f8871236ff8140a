package fr.relais.notify;

import fr.relais.config.NotifyConfig;
import fr.relais.identity.account.Accounts;
import fr.relais.outbox.Outbox;
import fr.relais.stream.StreamBacklog;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the events that nobody acknowledged within {@code notify.delay} and turns them into one count-only email
 * per person (into the outbox, with the stream offset it covers so the dispatcher can skip it if the person read
 * everything meanwhile). Categories set to "live" never email; "digest" ones at most once per
 * {@code notify.digestWindow}. Outside quiet hours the email leaves at once; inside, at their end.
 */
final class MissedEventScanner {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The name under which the digests' cursor is kept by the streams. */
    static final String CONSUMER = "digest";
    private static final Logger LOG = LoggerFactory.getLogger(MissedEventScanner.class);
    private static final int PAGE = 500;

    private final Pool pool;
    private final StreamBacklog backlog;
    private final Outbox outbox;
    private final DigestEmails digests;
    private final NotificationSettings settings;
    private final NotifyConfig config;
    private final Clock clock;
    private final BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks;
    private final java.util.function.Supplier<String> loginUrl;

    MissedEventScanner(Pool pool, StreamBacklog backlog, Outbox outbox, DigestEmails digests, NotificationSettings settings,
                       NotifyConfig config, Clock clock,
                       BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks,
                       java.util.function.Supplier<String> loginUrl) {
        this.pool = pool;
        this.backlog = backlog;
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
        return page(null, now.minus(config.delay()), now, 0);
    }

    /** The backlog page after {@code after}, then the next one, until the backlog is read. */
    private Future<Integer> page(UUID after, Instant olderThan, Instant now, int queuedBefore) {
        return backlog.recipients(CONSUMER, olderThan, after, PAGE).compose(recipients -> {
            if (recipients.isEmpty()) {
                return Future.succeededFuture(queuedBefore);
            }
            List<UUID> ids = recipients.stream().map(StreamBacklog.Recipient::id).toList();
            return Accounts.activeEmails(pool, ids).compose(emails -> lastSent(ids).compose(lastSent -> {
                List<Future<Boolean>> queued = new ArrayList<>();
                for (StreamBacklog.Recipient recipient : recipients) {
                    String email = emails.get(recipient.id());
                    if (email != null) { // not activated yet: emailed once active, if still unread
                        queued.add(pool.withTransaction(tx -> person(tx, recipient, email, lastSent.get(recipient.id()),
                                olderThan, now)).onFailure(e -> LOG.warn("digest of a person failed, tried again at the next "
                                + "scan: {}", e.toString())));
                    }
                }
                return Future.join(queued).otherwiseEmpty()
                        .map(all -> queuedBefore + (int) queued.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
            })).compose(queued -> recipients.size() < PAGE ? Future.succeededFuture(queued)
                    : page(ids.get(ids.size() - 1), olderThan, now, queued));
        });
    }

    private Future<Map<UUID, OffsetDateTime>> lastSent(List<UUID> accounts) {
        return pool.preparedQuery("SELECT account_id, last_sent_at FROM notify_cursor WHERE account_id = ANY($1)")
                .execute(Tuple.of(accounts.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, OffsetDateTime> sent = new java.util.HashMap<>();
                    rows.forEach(row -> sent.put(row.getUUID("account_id"), row.getOffsetDateTime("last_sent_at")));
                    return sent;
                });
    }

    private Future<Boolean> person(SqlConnection tx, StreamBacklog.Recipient recipient, String email, OffsetDateTime lastSent,
                                   Instant olderThan, Instant now) {
        UUID account = recipient.id();
        return StreamBacklog.events(tx, account, recipient.since(), olderThan)
                .compose(events -> settings.of(tx, account).compose(prefs -> {
                    Map<Category, Integer> counts = new EnumMap<>(Category.class);
                    long upTo = recipient.since();
                    boolean onlyDigests = true;
                    for (StreamBacklog.Missed event : events) {
                        upTo = event.offset();
                        var category = Category.of(event.type());
                        if (category.isEmpty() || "live".equals(prefs.modes().get(category.get()))) {
                            continue;
                        }
                        counts.merge(category.get(), 1, Integer::sum);
                        onlyDigests &= "digest".equals(prefs.modes().get(category.get()));
                    }
                    if (!counts.isEmpty() && onlyDigests && lastSent != null
                            && lastSent.toInstant().plus(config.digestWindow()).isAfter(now)) {
                        return Future.succeededFuture(false); // gathered into the next digest
                    }
                    long covered = upTo;
                    Future<Boolean> queued = counts.isEmpty() ? Future.succeededFuture(false)
                            : outbox.enqueue(tx, digests.render(email, prefs.locale(), new LinkedHashMap<>(counts), loginUrl.get(),
                                            unsubscribeLinks.apply(account, counts))
                                    .outgoing("digest:" + account + ":" + covered, account, "digest", Outbox.NOTIFICATION,
                                            notBefore(now, prefs.quietHours()))
                                    .covering(covered));
                    return queued.compose(added -> StreamBacklog.cover(tx, CONSUMER, account, covered)
                            .compose(v -> !added ? Future.succeededFuture() : tx.preparedQuery("""
                                            INSERT INTO notify_cursor (account_id, last_sent_at) VALUES ($1, $2)
                                            ON CONFLICT (account_id) DO UPDATE SET last_sent_at = $2""")
                                    .execute(Tuple.of(account, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))))
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
