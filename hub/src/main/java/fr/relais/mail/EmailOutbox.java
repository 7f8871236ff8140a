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

    /** Wakes the dispatchers of this node now (call after the commit). */
    public void kick() {
        vertx.eventBus().publish(KICK, null);
    }

    Email open(byte[] sealed, String keyId, UUID id, String to) {
        JsonObject content = new JsonObject(sealer.openText(sealed, keyId, "email:" + id));
        return new Email(to, content.getString("subject"), content.getString("text"), content.getString("html"));
    }
}
