package fr.relais.record;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Documents' contents sent ahead of their deposits, for those larger than a socket frame: checked as a deposit's
 * content is (size, type read from the bytes), sealed, kept {@link #LIFETIME} for their owner only, and taken (read
 * and deleted) by the deposit that names them, in its transaction.
 */
final class Uploads {
    static final Duration LIFETIME = Duration.ofHours(1);

    /** The content an upload held, and its type. */
    record Uploaded(byte[] content, String format) {
    }

    private final Pool pool;
    private final Sealer sealer;
    private final DepositLimits limits;
    private final Clock clock;

    Uploads(Pool pool, Sealer sealer, DepositLimits limits, Clock clock) {
        this.pool = pool;
        this.sealer = sealer;
        this.limits = limits;
        this.clock = clock;
    }

    /** Keeps {@code content} for {@code who}'s next deposit → {uploadId, contentType, size, expiresAt}. */
    Future<JsonObject> upload(Principal who, String contentType, byte[] content) {
        RecordService.requireDepositor(who);
        String format = DepositRequest.format(contentType == null ? null : contentType.split(";", 2)[0].strip());
        if (content.length == 0) {
            throw ApiError.invalidField("body", "The request's body is the document's content, and it is empty.");
        }
        DepositRequest.checkContent(content, format, limits, "body");
        UUID id = UUID.randomUUID();
        OffsetDateTime expires = OffsetDateTime.now(clock).plus(LIFETIME);
        boolean system = who.is(Principal.Kind.INTEGRATOR);
        return pool.preparedQuery("""
                        INSERT INTO document_upload (id, account_id, integrator_id, format, size, content_sealed, key_id, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.tuple().addUUID(id).addUUID(system ? null : who.id()).addUUID(system ? who.id() : null)
                        .addString(format).addInteger(content.length).addBuffer(Buffer.buffer(sealer.seal(content, "upload:" + id)))
                        .addString(sealer.keyId()).addOffsetDateTime(expires))
                .map(v -> new JsonObject().put("uploadId", id.toString()).put("contentType", format)
                        .put("size", content.length).put("expiresAt", expires.toInstant().toString()));
    }

    /** Takes {@code who}'s unexpired upload {@code id}, in the deposit's transaction; 404 {@code upload_not_found}. */
    Future<Uploaded> take(SqlClient tx, Principal who, UUID id) {
        return tx.preparedQuery("""
                        DELETE FROM document_upload
                        WHERE id = $1 AND (account_id = $2 OR integrator_id = $2) AND expires_at > $3
                        RETURNING format, content_sealed, key_id""")
                .execute(Tuple.of(id, who.id(), OffsetDateTime.now(clock)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.notFound("upload_not_found",
                                "No upload of yours has this id: it was used by a deposit, has expired (after an hour), or never was."));
                    }
                    Row row = rows.iterator().next();
                    return Future.succeededFuture(new Uploaded(sealer.open(row.getBuffer("content_sealed").getBytes(),
                            row.getString("key_id"), "upload:" + id), row.getString("format")));
                });
    }

    /** Deletes the uploads no deposit took in time (a job); how many. */
    Future<Integer> purgeExpired() {
        return pool.preparedQuery("DELETE FROM document_upload WHERE expires_at <= $1")
                .execute(Tuple.of(OffsetDateTime.now(clock))).map(rows -> rows.rowCount());
    }
}
