package fr.relais.identity.session;

import fr.relais.error.ApiError;
import fr.relais.identity.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions and their refresh tokens. A refresh token is opaque (256 random bits), stored only as its SHA-256,
 * and used once: each use returns a new one. Presenting a used one again means it was stolen (or replayed):
 * the whole session is revoked, which ends every token of that family.
 *
 * <p>Whether a session is live is answered from this node's {@link LiveSessions}. Every revocation is announced on
 * {@link #REVOKED_ADDRESS} after its commit; each node's memory forgets those sessions when it hears of it (this
 * node's at once, before the announcement leaves).
 */
public final class Sessions {
    /** A refresh token's outcome: the session it belongs to, and the next refresh token. */
    public record Refreshed(UUID sessionId, Optional<UUID> accountId, String refreshToken) {
    }

    /** Event-bus address where revoked session ids are published (a JSON array): nodes forget them, gateways drop sockets. */
    public static final String REVOKED_ADDRESS = "relais.identity.sessions-revoked";

    private final Vertx vertx;
    private final Pool pool;
    private final Duration refreshLifetime;
    private final Clock clock;
    private final LiveSessions live;
    private MessageConsumer<JsonArray> revocations;

    public Sessions(Vertx vertx, Pool pool, Duration refreshLifetime, Clock clock) {
        this.vertx = vertx;
        this.pool = pool;
        this.refreshLifetime = refreshLifetime;
        this.clock = clock;
        this.live = new LiveSessions(this::liveUntil, clock, LiveSessions.MAX_ENTRIES);
    }

    /** Starts forgetting the sessions that any node revokes; done once the consumer is registered (cluster-wide). */
    public Future<Void> listenForRevocations() {
        revocations = vertx.eventBus().consumer(REVOKED_ADDRESS, message -> live.forget(sessionIds(message.body())));
        return revocations.completion();
    }

    public Future<Void> stopListening() {
        return revocations == null ? Future.succeededFuture() : revocations.unregister();
    }

    /** Opens a session for a person and returns its first refresh token. */
    public Future<String> openForAccount(SqlClient tx, UUID sessionId, UUID accountId) {
        return tx.preparedQuery("INSERT INTO session (id, account_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(sessionId, accountId, expiry()))
                .compose(v -> newRefreshToken(tx, sessionId));
    }

    /** Opens a session for an integrator's grant (no refresh token: clients ask again with their secret). */
    public Future<Void> openForIntegrator(SqlClient tx, UUID sessionId, UUID integratorId, Duration lifetime) {
        return tx.preparedQuery("INSERT INTO session (id, integrator_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(sessionId, integratorId, OffsetDateTime.now(clock).plus(lifetime)))
                .mapEmpty();
    }

    /**
     * Opens the session of a catalogue app under a patient's consent (it goes with the consent); with
     * {@code refreshable}, returns its first refresh token, else null.
     */
    public Future<String> openForApp(SqlClient tx, UUID sessionId, UUID appId, UUID consentId, Duration accessLifetime,
                                     boolean refreshable) {
        OffsetDateTime expires = refreshable ? expiry() : OffsetDateTime.now(clock).plus(accessLifetime);
        return tx.preparedQuery("INSERT INTO session (id, integrator_id, consent_id, expires_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(sessionId, appId, consentId, expires))
                .compose(v -> refreshable ? newRefreshToken(tx, sessionId) : Future.succeededFuture(null));
    }

    /** Whether the session is neither revoked nor expired (and its integrator, if any, not disabled). */
    public Future<Boolean> isLive(UUID sessionId) {
        return live.isLive(sessionId);
    }

    private Future<Optional<Instant>> liveUntil(UUID sessionId) {
        return pool.preparedQuery("""
                        SELECT s.expires_at FROM session s LEFT JOIN integrator i ON i.id = s.integrator_id
                        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
                          AND (i.id IS NULL OR NOT i.disabled)""")
                .execute(Tuple.of(sessionId, OffsetDateTime.now(clock)))
                .map(rows -> rows.size() == 1
                        ? Optional.of(rows.iterator().next().getOffsetDateTime("expires_at").toInstant())
                        : Optional.empty());
    }

    /**
     * Trades a person's refresh token for the next one; fails 401 {@code refresh_invalid}, revoking the session on
     * reuse.
     */
    public Future<Refreshed> refresh(String refreshToken) {
        return refresh(refreshToken, false);
    }

    /** {@link #refresh} for a catalogue app's session: a person's token is not one (nor the other way round). */
    public Future<Refreshed> refreshApp(String refreshToken) {
        return refresh(refreshToken, true);
    }

    private Future<Refreshed> refresh(String refreshToken, boolean app) {
        byte[] hash = Tokens.sha256(refreshToken);
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                SELECT t.session_id, t.used_at, t.expires_at, s.account_id, s.revoked_at
                                FROM refresh_token t JOIN session s ON s.id = t.session_id
                                WHERE t.token_hash = $1 AND (s.consent_id IS NOT NULL) = $2 FOR UPDATE OF t""")
                        .execute(Tuple.of(Buffer.buffer(hash), app))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.failedFuture(refreshInvalid());
                            }
                            Row row = rows.iterator().next();
                            UUID sessionId = row.getUUID("session_id");
                            if (row.getOffsetDateTime("used_at") != null) {
                                return revokeQuietly(tx, sessionId, "refresh_token_reuse")
                                        .compose(v -> Future.succeededFuture(new Refreshed(sessionId, Optional.empty(), null)));
                            }
                            if (row.getOffsetDateTime("revoked_at") != null
                                    || row.getOffsetDateTime("expires_at").isBefore(OffsetDateTime.now(clock))) {
                                return Future.failedFuture(refreshInvalid());
                            }
                            return tx.preparedQuery("UPDATE refresh_token SET used_at = now() WHERE token_hash = $1")
                                    .execute(Tuple.of(Buffer.buffer(hash)))
                                    .compose(v -> tx.preparedQuery("UPDATE session SET expires_at = $2 WHERE id = $1")
                                            .execute(Tuple.of(sessionId, expiry())))
                                    .compose(v -> newRefreshToken(tx, sessionId))
                                    .map(next -> new Refreshed(sessionId, Optional.ofNullable(row.getUUID("account_id")), next));
                        }))
                .compose(refreshed -> refreshed.refreshToken() == null
                        ? announced(refreshed.sessionId()).compose(v -> Future.failedFuture(ApiError.of(401, "refresh_reused",
                                "This refresh token was already used; the session has been ended for safety.")))
                        : Future.succeededFuture(refreshed));
    }

    private Future<Void> revokeQuietly(SqlClient client, UUID sessionId, String reason) {
        return client.preparedQuery("UPDATE session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(sessionId, reason))
                .mapEmpty();
    }

    /** Revokes one session, forgets it on every node and drops its sockets. */
    public Future<Void> revoke(UUID sessionId, String reason) {
        return revokeQuietly(pool, sessionId, reason).compose(v -> announced(sessionId));
    }

    /**
     * Tells every node to forget these sessions and every gateway to drop their sockets (call after the revocation
     * committed). This node forgets them before answering, so its next request is refused whatever the bus does.
     */
    public void announce(List<UUID> revoked) {
        if (!revoked.isEmpty()) {
            live.forget(revoked);
            JsonArray ids = new JsonArray();
            revoked.forEach(id -> ids.add(id.toString()));
            vertx.eventBus().publish(REVOKED_ADDRESS, ids);
        }
    }

    private Future<Void> announced(UUID sessionId) {
        announce(List.of(sessionId));
        return Future.succeededFuture();
    }

    /**
     * Revokes every live session of an account, and those of the apps it consented to, and returns their ids (so
     * their sockets can be closed).
     */
    public Future<List<UUID>> revokeAll(SqlClient client, UUID accountId, String reason) {
        return client.preparedQuery("""
                        UPDATE session SET revoked_at = now(), revoked_reason = $2
                        WHERE (account_id = $1 OR consent_id IN (SELECT id FROM app_consent WHERE patient_id = $1))
                          AND revoked_at IS NULL RETURNING id""")
                .execute(Tuple.of(accountId, reason))
                .map(rows -> {
                    List<UUID> ids = new java.util.ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    private static List<UUID> sessionIds(JsonArray ids) {
        List<UUID> sessions = new java.util.ArrayList<>(ids.size());
        ids.forEach(id -> sessions.add(UUID.fromString(id.toString())));
        return sessions;
    }

    private Future<String> newRefreshToken(SqlClient tx, UUID sessionId) {
        String token = Tokens.random(32);
        return tx.preparedQuery("INSERT INTO refresh_token (token_hash, session_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(Buffer.buffer(Tokens.sha256(token)), sessionId, expiry()))
                .map(token);
    }

    private OffsetDateTime expiry() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).plus(refreshLifetime);
    }

    private static ApiError refreshInvalid() {
        return ApiError.of(401, "refresh_invalid", "The refresh token is not valid; log in again.");
    }
}
