package fr.relais.notify;

import fr.relais.config.NotifyConfig;
import fr.relais.identity.account.Accounts;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.outbox.Outgoing;
import io.vertx.core.json.JsonObject;
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
 * The one decision of the notify component, per person and per window of missed events: the events no socket
 * acknowledged within {@code notify.pushDelay} go, category by category, by push to the person's devices (if they
 * have any and the category may be pushed), else by email (unless the person wants that category live only).
 * Pushes leave at once, or at the end of the quiet hours; the email leaves {@code notify.delay} after the oldest event
 * it counts (or at the end of the quiet hours), and both are dropped at send time if the person has acknowledged the
 * events meanwhile, on any device. "digest" categories email at most once per {@code notify.digestWindow}: their
 * window is held until then, while pushes go on. Each decision is recorded with its counts ({@link Decisions}).
 * Security codes never pass here: they go at once, by SMS or email, from identity.
 */
final class MissedEventScanner {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The name under which the email side's cursor is kept by the streams. */
    static final String CONSUMER = "digest";
    /** The name under which the push side's cursor is kept: pushes never wait for a digest window. */
    static final String PUSH_CONSUMER = "push";
    private static final Logger LOG = LoggerFactory.getLogger(MissedEventScanner.class);
    private static final int PAGE = 500;

    private final Pool pool;
    private final StreamBacklog backlog;
    private final Outbox outbox;
    private final DigestEmails digests;
    private final NotificationSettings settings;
    private final PushChannel push;
    private final NotifyConfig config;
    private final Clock clock;
    private final BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks;
    private final java.util.function.Supplier<String> loginUrl;
    private final DecisionMetrics metrics;

    MissedEventScanner(Pool pool, StreamBacklog backlog, Outbox outbox, DigestEmails digests, NotificationSettings settings,
                       PushChannel push, NotifyConfig config, Clock clock,
                       BiFunction<UUID, Map<Category, Integer>, Map<Category, String>> unsubscribeLinks,
                       java.util.function.Supplier<String> loginUrl, DecisionMetrics metrics) {
        this.pool = pool;
        this.backlog = backlog;
        this.outbox = outbox;
        this.digests = digests;
        this.settings = settings;
        this.push = push;
        this.config = config;
        this.clock = clock;
        this.unsubscribeLinks = unsubscribeLinks;
        this.loginUrl = loginUrl;
        this.metrics = metrics;
    }

    /** One scan; returns how many people something was queued for. */
    Future<Integer> runOnce() {
        Instant now = clock.instant();
        return page(null, now.minus(config.pushDelay()), now, 0);
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
                    if (email != null) { // not activated yet: told once active, if still unread
                        Future<Decision> decided = push.devices(recipient.id()).compose(devices -> pool.<Decision>withTransaction(
                                tx -> person(tx, recipient, email, devices, lastSent.get(recipient.id()), olderThan, now)));
                        queued.add(decided.onSuccess(this::wakePushes).map(Decision::anything)
                                .onFailure(e -> LOG.warn("the decision for a person failed, tried again at the next scan: {}",
                                        e.toString())));
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

    private Future<Decision> person(SqlConnection tx, StreamBacklog.Recipient recipient, String email, List<UUID> devices,
                                    OffsetDateTime lastSent, Instant olderThan, Instant now) {
        UUID account = recipient.id();
        return tx.preparedQuery("SELECT pg_try_advisory_xact_lock(hashtextextended('relais.notify:' || $1, 0)) AS mine")
                .execute(Tuple.of(account.toString()))
                .compose(rows -> !rows.iterator().next().getBoolean("mine")
                        ? Future.succeededFuture(Decision.nothing(account, now)) // another node decides for this person now
                        : StreamBacklog.position(tx, account, CONSUMER, PUSH_CONSUMER).compose(at -> StreamBacklog
                                .events(tx, account, at.acked(), olderThan)
                                .compose(events -> settings.of(tx, account).compose(prefs -> carryOut(tx, plan(account,
                                        Math.max(at.acked(), at.covered(CONSUMER)), at.covered(PUSH_CONSUMER), events, devices,
                                        prefs, lastSent, now), email, devices, prefs.locale())))));
    }

    /** Queues what the plan says, moves both cursors and records the decision, in the person's transaction. */
    private Future<Decision> carryOut(SqlConnection tx, Plan plan, String email, List<UUID> devices, String locale) {
        Decision decision = plan.decision();
        UUID account = decision.account();
        return queuePushes(tx, plan, devices, locale)
                .compose(v -> StreamBacklog.cover(tx, PUSH_CONSUMER, account, decision.upToOffset()))
                .compose(v -> !decision.pushEmailFallback() ? Future.succeededFuture()
                        : queueEmail(tx, FALLBACK, decision.pushed(), plan.fallbackAt(), decision, email, locale))
                .compose(v -> decision.held() != null ? Future.succeededFuture()
                        : (decision.emailed().isEmpty() ? Future.<Void>succeededFuture()
                                : queueEmail(tx, DIGEST, plan.emailWaiting(), decision.emailNotBefore(), decision, email, locale))
                                .compose(w -> StreamBacklog.cover(tx, CONSUMER, account, decision.upToOffset())))
                .compose(v -> decision.held() != null && decision.pushed().isEmpty() || !decision.anything()
                        ? Future.succeededFuture() : Decisions.record(tx, decision).onSuccess(w -> metrics.count(decision)))
                .map(decision);
    }

    /**
     * What the decision needs besides itself: the counts a push and a digest show (everything waiting since the person
     * last acknowledged, in the categories that go their way: a newer one replaces one not sent yet), and when the
     * email for what was pushed may leave if no push reaches a device.
     */
    private record Plan(Decision decision, Map<Category, Integer> waiting, Map<Category, Integer> emailWaiting, Instant fallbackAt) {
    }

    /**
     * Which channel carries each event after {@code since} (decided up to there before): by push when the person has
     * a device and allows the category there (counted once, after {@code pushedUpTo}), else by email unless live only.
     * {@code events} start after {@code acked}, for the counts a push shows.
     */
    private Plan plan(UUID account, long since, long pushedUpTo, List<StreamBacklog.Missed> events, List<UUID> devices,
                      NotificationSettings.Settings prefs, OffsetDateTime lastSent, Instant now) {
        Map<Category, Integer> waiting = Decision.none();
        Map<Category, Integer> emailWaiting = Decision.none();
        Map<Category, Integer> pushed = Decision.none();
        Map<Category, Integer> emailed = Decision.none();
        Map<Category, Integer> liveOnly = Decision.none();
        long pushedFrom = Math.max(pushedUpTo, since);
        long upTo = since;
        boolean onlyDigests = true;
        Instant oldestEmailed = null;
        Instant oldestPushed = null;
        for (StreamBacklog.Missed event : events) {
            Category category = event.own() ? null : Category.of(event.type()).orElse(null); // nobody is told of their own acts
            boolean byPush = category != null && !devices.isEmpty() && prefs.push().get(category);
            if (byPush) {
                waiting.merge(category, 1, Integer::sum);
            } else if (category != null && !"live".equals(prefs.modes().get(category))) {
                emailWaiting.merge(category, 1, Integer::sum);
            }
            if (event.offset() <= since) {
                continue;
            }
            upTo = event.offset();
            if (category == null) {
                continue;
            }
            if (byPush) {
                if (event.offset() > pushedFrom) {
                    pushed.merge(category, 1, Integer::sum);
                    oldestPushed = oldestPushed == null ? event.createdAt() : oldestPushed;
                }
                continue;
            }
            String mode = prefs.modes().get(category);
            if ("live".equals(mode)) {
                liveOnly.merge(category, 1, Integer::sum);
                continue;
            }
            emailed.merge(category, 1, Integer::sum);
            onlyDigests &= "digest".equals(mode);
            oldestEmailed = oldestEmailed == null ? event.createdAt() : oldestEmailed;
        }
        boolean held = !emailed.isEmpty() && onlyDigests && lastSent != null
                && lastSent.toInstant().plus(config.digestWindow()).isAfter(now);
        Instant emailAt = emailed.isEmpty() || held ? null
                : notBefore(later(now, oldestEmailed.plus(config.delay())), prefs.quietHours());
        boolean fallback = !pushed.isEmpty() && pushed.keySet().stream().anyMatch(c -> !"live".equals(prefs.modes().get(c)));
        Decision decision = new Decision(account, now, since, upTo, devices.size(), pushed,
                pushed.isEmpty() ? null : notBefore(now, prefs.quietHours()), fallback, held ? Decision.none() : emailed, emailAt,
                liveOnly, held ? "digest window until " + lastSent.toInstant().plus(config.digestWindow()) : null);
        return new Plan(decision, waiting, emailWaiting,
                fallback ? notBefore(later(now, oldestPushed.plus(config.delay())), prefs.quietHours()) : null);
    }

    /** Pushes leave once their decision committed, not at the next dispatch tick. */
    private void wakePushes(Decision decision) {
        if (!decision.pushed().isEmpty()) {
            outbox.kick(Channel.PUSH);
        }
    }

    /**
     * One push per device, saying how much waits; it replaces the person's pushes not sent yet (their counts are
     * stale), and is dropped at send time if the events were acknowledged meanwhile (on another device too).
     */
    private Future<Void> queuePushes(SqlConnection tx, Plan plan, List<UUID> devices, String locale) {
        Decision decision = plan.decision();
        if (decision.pushed().isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        plan.waiting().forEach((category, n) -> counts.put(category.wireName(), n));
        JsonObject payload = push.payload(locale, counts);
        Future<Boolean> queued = Outbox.supersede(tx, Channel.PUSH, decision.account(), "notification").map(true);
        for (UUID device : devices) {
            queued = queued.compose(v -> outbox.enqueue(tx, Outgoing.of(Channel.PUSH, "push:" + decision.account() + ":"
                            + decision.upToOffset() + ":" + device, decision.account(), device.toString(), "notification",
                    Outbox.NOTIFICATION, payload, decision.pushNotBefore()).covering(decision.upToOffset())));
        }
        return queued.mapEmpty();
    }

    /** The two kinds of digest: what was decided for email, and what was pushed, emailed if no push reached a device. */
    private static final String DIGEST = "digest";
    private static final String FALLBACK = "push-fallback";

    /**
     * A count-only digest of {@code counts}, replacing the person's digest of the same kind not sent yet (and leaving
     * no later than it would have); a fallback is not sent if a push covering the same events was.
     */
    private Future<Void> queueEmail(SqlConnection tx, String kind, Map<Category, Integer> counts, Instant notBefore,
                                    Decision decision, String email, String locale) {
        UUID account = decision.account();
        Map<Category, Integer> ordered = new LinkedHashMap<>(counts);
        boolean fallback = kind.equals(FALLBACK);
        return Outbox.supersede(tx, Channel.EMAIL, account, kind).compose(earliest -> {
            Instant leaves = earliest.filter(notBefore::isAfter).orElse(notBefore);
            Outgoing digest = digests.render(email, locale, ordered, loginUrl.get(), unsubscribeLinks.apply(account, ordered))
                    .outgoing(kind + ":" + account + ":" + decision.upToOffset(), account, kind, Outbox.NOTIFICATION, leaves)
                    .covering(decision.upToOffset());
            return outbox.enqueue(tx, fallback ? digest.unlessSentBy(Channel.PUSH) : digest);
        }).compose(added -> !added || fallback ? Future.succeededFuture() : tx.preparedQuery("""
                                INSERT INTO notify_cursor (account_id, last_sent_at) VALUES ($1, $2)
                                ON CONFLICT (account_id) DO UPDATE SET last_sent_at = $2""")
                        .execute(Tuple.of(account, OffsetDateTime.ofInstant(decision.decidedAt(), ZoneOffset.UTC))))
                .mapEmpty();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
