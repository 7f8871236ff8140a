package fr.relais.identity.oidc;

import fr.relais.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * External ID tokens that were already used to log in, remembered in the database until they expire (so every node
 * knows them): an ID token stolen or logged on its way opens no second session.
 */
public final class UsedIdTokens {
    private final Pool pool;

    public UsedIdTokens(Pool pool) {
        this.pool = pool;
    }

    /** Records the token's use; fails 401 {@code token_replayed} if it was used before. */
    Future<Void> spend(byte[] tokenHash, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO external_token_use (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(tokenHash), OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC)))
                .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
                        : Future.failedFuture(ApiError.of(401, "token_replayed",
                                "This identity token was already used; sign in with the identity provider again.")));
    }

    /** Forgets tokens that expired before {@code now}: they are refused as expired anyway. */
    public Future<Integer> purge(Instant now) {
        return pool.preparedQuery("DELETE FROM external_token_use WHERE expires_at < $1")
                .execute(Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
