package fr.relais.mail;

import fr.relais.config.MailConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox: claims ready emails with {@code FOR UPDATE SKIP LOCKED} and a lease (any number of nodes),
 * security emails first, and sends each through the mailer. Temporary failures (the SMTP server down, 4xx
 * replies) are retried with exponential backoff and jitter; permanent ones (5xx) and exhausted retries end
 * dead, visible to admins. A digest whose events the person has read since is skipped at send time. An SMTP
 * outage loses nothing: emails wait and leave when it is back. (If a node dies after the SMTP server took an
 * email but before it was marked sent, the email is sent again when the lease runs out; its Message-ID is the
 * same, so mail systems can drop the copy.)
 */
public final class OutboxDispatcher {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final Pool pool;
    private final ReadMarks readMarks;
    private final Mailer mailer;
    private final EmailOutbox outbox;
    private final MailConfig config;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString();
    private final Counter sent;
    private final Counter retried;
    private final Counter dead;
    private volatile boolean stopped;

    public OutboxDispatcher(Pool pool, Mailer mailer, EmailOutbox outbox, MailConfig config, Clock clock,
                            MeterRegistry metrics, ReadMarks readMarks) {
        this.readMarks = readMarks;
        this.pool = pool;
        this.mailer = mailer;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
        this.sent = Counter.builder("relais.mail.sent").register(metrics);
        this.retried = Counter.builder("relais.mail.retried").register(metrics);
        this.dead = Counter.builder("relais.mail.dead").register(metrics);
    }

    /**
     * Sends batches until one is not full (a job of the hub, every {@code mail.dispatchEvery} and at each
     * {@link EmailOutbox#KICK}); returns how many were claimed. Does nothing once {@link #stop}ped.
     */
    public Future<Integer> drain() {
        return stopped ? Future.succeededFuture(0) : runOnce().compose(claimed -> claimed < config.batchSize()
                ? Future.succeededFuture(claimed) : drain().map(more -> claimed + more));
    }

    /** Makes {@link #drain} do nothing; {@link #runOnce} still sends (benchmarks queue first, then send alone). */
    public void stop() {
        stopped = true;
    }

    /** Claims and sends one batch; returns how many were claimed. */
    public Future<Integer> runOnce() {
        Instant now = clock.instant();
        return pool.preparedQuery("""
                        WITH ready AS (
                            SELECT id FROM email_outbox
                            WHERE (status = 'pending' AND not_before <= $1)
                               OR (status = 'sending' AND lease_until < $1)
                            ORDER BY priority, not_before LIMIT $2 FOR UPDATE SKIP LOCKED)
                        UPDATE email_outbox o SET status = 'sending', claimed_by = $3, lease_until = $4, attempts = o.attempts + 1
                        FROM ready WHERE o.id = ready.id
                        RETURNING o.id, o.dedup_key, o.recipient_id, o.to_address, o.content_sealed, o.key_id, o.up_to_offset,
                                  o.attempts""")
                .execute(Tuple.of(utc(now), config.batchSize(), node, utc(now.plus(config.lease()))))
                .compose(rows -> {
                    List<Future<Void>> sending = new ArrayList<>();
                    for (Row row : rows) {
                        sending.add(send(row, now));
                    }
                    return Future.join(sending).map(rows.size());
                });
    }

    private Future<Void> send(Row row, Instant now) {
        UUID id = row.getUUID("id");
        Long upTo = row.getLong("up_to_offset");
        Future<Boolean> stillWanted = upTo == null ? Future.succeededFuture(true)
                : readMarks.readUpTo(row.getUUID("recipient_id"), upTo).map(read -> !read);
        return stillWanted.compose(wanted -> {
            if (!wanted) {
                return mark(id, "skipped", null, null);
            }
            Email email = outbox.open(row.getBuffer("content_sealed").getBytes(), row.getString("key_id"), id, row.getString("to_address"));
            return mailer.send(email, row.getString("dedup_key").replaceAll("[^A-Za-z0-9.-]", "-"))
                    .compose(v -> {
                        sent.increment();
                        return mark(id, "sent", null, null);
                    })
                    .recover(failure -> failed(row, now, failure));
        });
    }

    private Future<Void> failed(Row row, Instant now, Throwable failure) {
        int attempts = row.getInteger("attempts");
        boolean permanent = SmtpFailures.permanent(failure);
        if (permanent || attempts >= config.maxAttempts()) {
            dead.increment();
            log.warn("email {} is dead after {} attempt(s): {}", row.getUUID("id"), attempts, failure.getMessage());
            return mark(row.getUUID("id"), "dead", null, failure.getMessage());
        }
        retried.increment();
        long base = Math.min(Duration.ofMinutes(30).toMillis(), 1000L << Math.min(attempts, 20));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return mark(row.getUUID("id"), "pending", now.plusMillis(delay), failure.getMessage());
    }

    private Future<Void> mark(UUID id, String status, Instant notBefore, String error) {
        return pool.preparedQuery("""
                        UPDATE email_outbox SET status = $3, sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END,
                               not_before = COALESCE($4, not_before), last_error = COALESCE($5, last_error)
                        WHERE id = $1 AND claimed_by = $2 AND status = 'sending'""")
                .execute(Tuple.of(id, node, status, notBefore == null ? null : utc(notBefore), error))
                .mapEmpty();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
