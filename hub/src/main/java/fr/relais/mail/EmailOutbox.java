package fr.relais.mail;

import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where every email starts: a row of {@code email_outbox}, written in the caller's transaction, with a unique
 * key so that a notification is one email whatever the retries. Security emails (priority 0) wake the
 * dispatcher at once after the commit ({@link #kick()}).
 */
public final class EmailOutbox {
    /** Event-bus address that wakes the dispatcher now. */
    public static final String KICK = "relais.mail.kick";
    public static final int SECURITY = 0;
    public static final int NOTIFICATION = 1;

    private final Vertx vertx;
    private final Sealer sealer;

    public EmailOutbox(Vertx vertx, Sealer sealer) {
        this.vertx = vertx;
        this.sealer = sealer;
    }

    /** Adds an email; nothing happens if {@code dedupKey} was already used. Returns whether it was added. */
    public Future<Boolean> enqueue(SqlClient tx, String dedupKey, UUID recipient, String category, int priority, Email email,
                                   Long upToOffset, Instant notBefore) {
        UUID id = UUID.randomUUID();
        JsonObject content = new JsonObject().put("subject", email.subject()).put("text", email.text()).put("html", email.html());
        return tx.preparedQuery("""
                        INSERT INTO email_outbox (id, dedup_key, recipient_id, to_address, category, priority, content_sealed, key_id,
                                                  up_to_offset, not_before)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedup_key) DO NOTHING""")
                .execute(Tuple.tuple().addUUID(id).addString(dedupKey).addUUID(recipient).addString(email.to())
                        .addString(category).addShort((short) priority)
                        .addBuffer(Buffer.buffer(sealer.seal(content.encode(), "email:" + id))).addString(sealer.keyId())
                        .addLong(upToOffset).addOffsetDateTime(OffsetDateTime.ofInstant(notBefore, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The states of an email in the outbox. */
    public static final List<String> STATUSES = List.of("pending", "sending", "sent", "dead", "skipped");

    /** An email of the outbox as admins see it: never its content. */
    public record Queued(UUID id, String to, String category, int attempts, String lastError, Instant createdAt) {
    }

    /** The newest 200 emails in {@code status} (one of {@link #STATUSES}). */
    public static Future<List<Queued>> withStatus(SqlClient sql, String status) {
        return sql.preparedQuery("""
                        SELECT id, to_address, category, attempts, last_error, created_at FROM email_outbox
                        WHERE status = $1 ORDER BY created_at DESC LIMIT 200""")
                .execute(Tuple.of(status))
                .map(rows -> {
                    List<Queued> emails = new ArrayList<>();
                    rows.forEach(row -> emails.add(new Queued(row.getUUID("id"), row.getString("to_address"),
                            row.getString("category"), row.getInteger("attempts"), row.getString("last_error"),
                            row.getOffsetDateTime("created_at").toInstant())));
                    return emails;
                });
    }

    /** Puts a dead email back to be tried from scratch at {@code now}; false if no dead email has this id. */
    public static Future<Boolean> retryDead(SqlClient sql, UUID id, Instant now) {
        return sql.preparedQuery("""
                        UPDATE email_outbox SET status = 'pending', attempts = 0, not_before = $2, last_error = NULL
                        WHERE id = $1 AND status = 'dead'""")
                .execute(Tuple.of(id, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Wakes the dispatchers of this node now (call after the commit). */
    public void kick() {
        vertx.eventBus().publish(KICK, null);
    }

    Email open(byte[] sealed, String keyId, UUID id, String to) {
        JsonObject content = new JsonObject(sealer.openText(sealed, keyId, "email:" + id));
        return new Email(to, content.getString("subject"), content.getString("text"), content.getString("html"));
    }
}
