package fr.relais.push;

import fr.relais.error.ApiError;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * People's devices ({@code push_subscription}): the endpoint and keys sealed and bound to the row, a keyed hash of
 * the endpoint so that one browser is one device per account, at most {@link #MAX_DEVICES} devices each.
 */
final class PushSubscriptions {
    static final int MAX_DEVICES = 20;

    /** A device as the sender needs it. */
    record Subscription(UUID id, UUID account, URI endpoint, byte[] p256dh, byte[] auth) {
    }

    /** A registration's answer, and whether it made a new device. */
    record Registered(JsonObject device, boolean created) {
    }

    private final Pool pool;
    private final Sealer sealer;
    private final MasterKey masterKey;
    private final Clock clock;

    PushSubscriptions(Pool pool, Sealer sealer, MasterKey masterKey, Clock clock) {
        this.pool = pool;
        this.sealer = sealer;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /**
     * Adds the device, or, for an endpoint the account already has, gives its keys (and a new label, if one was
     * chosen) to the device that has it. The account's devices are counted and changed under one lock per account.
     */
    Future<Registered> register(UUID account, SubscriptionInput input, boolean labelChosen) {
        byte[] hash = masterKey.keyedHash("push-endpoints", input.endpoint().toString());
        // the lock is its own statement: a statement's snapshot is taken when it starts, before it would have waited
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('relais.push'), hashtext($1::text))")
                        .execute(Tuple.of(account.toString()))
                        .compose(locked -> tx.preparedQuery("""
                                SELECT (SELECT id FROM push_subscription WHERE account_id = $1 AND endpoint_hash = $2) AS existing,
                                       (SELECT count(*) FROM push_subscription WHERE account_id = $1) AS devices""")
                                .execute(Tuple.of(account, Buffer.buffer(hash))))
                        .compose(rows -> {
                            Row row = rows.iterator().next();
                            UUID existing = row.getUUID("existing");
                            if (existing != null) {
                                return update(tx, existing, input, labelChosen).map(device -> new Registered(device, false));
                            }
                            if (row.getLong("devices") >= MAX_DEVICES) {
                                return Future.failedFuture(ApiError.of(409, "too_many_devices", "At most " + MAX_DEVICES
                                        + " devices receive notifications; remove one first."));
                            }
                            return insert(tx, account, hash, input).map(device -> new Registered(device, true));
                        }));
    }

    private Future<JsonObject> insert(SqlClient tx, UUID account, byte[] hash, SubscriptionInput input) {
        UUID id = UUID.randomUUID();
        return tx.preparedQuery("""
                        INSERT INTO push_subscription (id, account_id, endpoint_hash, endpoint_sealed, p256dh_sealed, auth_sealed,
                                                       key_id, label, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                        RETURNING id, label, created_at, last_used_at""")
                .execute(Tuple.from(List.of(id, account, Buffer.buffer(hash),
                        seal(input.endpoint().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "endpoint", id),
                        seal(input.p256dh(), "p256dh", id), seal(input.auth(), "auth", id), sealer.keyId(), input.label(),
                        OffsetDateTime.now(clock))))
                .map(rows -> device(rows.iterator().next()));
    }

    private Future<JsonObject> update(SqlClient tx, UUID id, SubscriptionInput input, boolean labelChosen) {
        return tx.preparedQuery("""
                        UPDATE push_subscription SET p256dh_sealed = $2, auth_sealed = $3, key_id = $4,
                                                     endpoint_sealed = $5, label = CASE WHEN $6 THEN $7 ELSE label END
                        WHERE id = $1 RETURNING id, label, created_at, last_used_at""")
                .execute(Tuple.from(List.of(id, seal(input.p256dh(), "p256dh", id), seal(input.auth(), "auth", id), sealer.keyId(),
                        seal(input.endpoint().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "endpoint", id),
                        labelChosen, input.label())))
                .map(rows -> device(rows.iterator().next()));
    }

    /** The account's devices, oldest first: never their endpoints or keys. */
    Future<JsonArray> list(UUID account) {
        return pool.preparedQuery("""
                        SELECT id, label, created_at, last_used_at FROM push_subscription
                        WHERE account_id = $1 ORDER BY created_at, id""")
                .execute(Tuple.of(account))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(device(row)));
                    return list;
                });
    }

    /** Removes the account's device; false when it has none with this id. */
    Future<Boolean> remove(UUID account, UUID id) {
        return pool.preparedQuery("DELETE FROM push_subscription WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, account)).map(rows -> rows.rowCount() == 1);
    }

    Future<List<UUID>> idsOf(UUID account) {
        return pool.preparedQuery("SELECT id FROM push_subscription WHERE account_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(account))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    Future<Optional<Subscription>> load(UUID id) {
        return pool.preparedQuery("""
                        SELECT account_id, endpoint_sealed, p256dh_sealed, auth_sealed, key_id FROM push_subscription WHERE id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    String keyId = row.getString("key_id");
                    return Optional.of(new Subscription(id, row.getUUID("account_id"),
                            URI.create(new String(open(row, "endpoint", keyId, id), java.nio.charset.StandardCharsets.UTF_8)),
                            open(row, "p256dh", keyId, id), open(row, "auth", keyId, id)));
                });
    }

    Future<Void> used(UUID id) {
        return pool.preparedQuery("UPDATE push_subscription SET last_used_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, OffsetDateTime.now(clock))).mapEmpty();
    }

    Future<Void> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM push_subscription WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    private Buffer seal(byte[] value, String what, UUID id) {
        return Buffer.buffer(sealer.seal(value, "push-" + what + ":" + id));
    }

    private byte[] open(Row row, String what, String keyId, UUID id) {
        return sealer.open(row.getBuffer(what + "_sealed").getBytes(), keyId, "push-" + what + ":" + id);
    }

    private static JsonObject device(Row row) {
        OffsetDateTime used = row.getOffsetDateTime("last_used_at");
        return new JsonObject().put("id", row.getUUID("id").toString()).put("label", row.getString("label"))
                .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
                .put("lastUsedAt", used == null ? null : used.toInstant().toString());
    }
}
