package fr.relais.identity.token;

import fr.relais.secrets.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ES256 keys that sign access tokens, shared by all nodes through the database (private keys sealed with
 * the master key). The newest key signs; older ones still verify until every token they signed has expired,
 * then they are retired. Rotation therefore logs nobody out. Every node reloads on a timer and whenever a token
 * names a key it does not know yet. Signing and checking are Vert.x Auth JWT's: each load makes one {@link JWTAuth}
 * that signs with the newest key and verifies with all of them.
 */
public final class SigningKeys {
    /** One key: its id, its private half and its public half as published. */
    record Key(String kid, PrivateKey privateKey, JsonObject jwk, Instant createdAt) {
    }

    private record Snapshot(Key active, Map<String, Key> byKid, JWTAuth jwt) {
    }

    private static final Duration RELOAD_ON_UNKNOWN_KID_AT_MOST_EVERY = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Pool pool;
    private final SecretBox box;
    private final JWTOptions tokenRules;
    private final Duration tokenLifetime;
    private final Duration rotationPeriod;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of(), null);
    private volatile long lastReloadNanos;

    /** {@code tokenRules}: the algorithm, issuer and audience the tokens carry and must carry. */
    public SigningKeys(Vertx vertx, Pool pool, SecretBox box, JWTOptions tokenRules, Duration tokenLifetime,
                       Duration rotationPeriod, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.pool = pool;
        this.box = box;
        this.tokenRules = tokenRules;
        this.tokenLifetime = tokenLifetime;
        this.rotationPeriod = rotationPeriod;
    }

    /** Creates the first key if there is none, rotates if the newest is older than the period, retires old keys, reloads. */
    public Future<Void> maintain() {
        return pool.withTransaction(tx -> lock(tx)
                        .compose(v -> tx.query("SELECT max(created_at) AS newest FROM signing_key WHERE retired_at IS NULL").execute())
                        .compose(rows -> {
                            OffsetDateTime newest = rows.iterator().next().getOffsetDateTime("newest");
                            boolean due = newest == null || newest.toInstant().plus(rotationPeriod).isBefore(clock.instant());
                            return due ? insertNewKey(tx).mapEmpty() : Future.succeededFuture();
                        })
                        .compose(v -> retireSuperseded(tx)))
                .compose(v -> reload());
    }

    /** Makes a new signing key now (the admin command {@code relais keys rotate} and tests use it). */
    public Future<String> rotate() {
        return pool.withTransaction(tx -> lock(tx).compose(v -> insertNewKey(tx)).compose(kid -> retireSuperseded(tx).map(kid)))
                .compose(kid -> reload().map(kid));
    }

    /** The key that signs now (tests forge tokens with it). */
    Key active() {
        return loaded().active;
    }

    /** Signs with the active key and verifies with every key loaded, under {@code tokenRules}. */
    JWTAuth jwt() {
        return loaded().jwt;
    }

    private Snapshot loaded() {
        Snapshot current = snapshot;
        if (current.active == null) {
            throw new IllegalStateException("no signing key loaded: call maintain() at start-up");
        }
        return current;
    }

    /**
     * Reloads the keys because a token named one unknown here (another node may have just rotated); true if it
     * did, false if it reloaded too recently to do it again.
     */
    Future<Boolean> reloadForUnknownKey() {
        if (System.nanoTime() - lastReloadNanos < RELOAD_ON_UNKNOWN_KID_AT_MOST_EVERY.toNanos()) {
            return Future.succeededFuture(false);
        }
        return reload().map(true);
    }

    /** The JSON Web Key Set of every key that may have signed a token still valid. */
    public JsonObject jwks() {
        JsonArray keys = new JsonArray();
        snapshot.byKid.values().stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .forEach(key -> keys.add(key.jwk()));
        return new JsonObject().put("keys", keys);
    }

    public Future<Void> reload() {
        lastReloadNanos = System.nanoTime();
        return pool.query("SELECT kid, public_jwk, sealed_private, created_at FROM signing_key WHERE retired_at IS NULL")
                .execute()
                .map(rows -> {
                    Map<String, Key> byKid = new HashMap<>();
                    Key newest = null;
                    for (Row row : rows) {
                        Key key = decode(row);
                        byKid.put(key.kid(), key);
                        if (newest == null || key.createdAt().isAfter(newest.createdAt())) {
                            newest = key;
                        }
                    }
                    snapshot = new Snapshot(newest, Map.copyOf(byKid), newest == null ? null : jwtOf(newest, byKid));
                    return null;
                });
    }

    private JWTAuth jwtOf(Key active, Map<String, Key> byKid) {
        JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(tokenRules);
        byKid.values().forEach(key -> options.addJwk(key.jwk()));
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(active.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(active.kid()).setBuffer(pem));
        return JWTAuth.create(vertx, options);
    }

    private Future<Void> lock(SqlClient tx) {
        return tx.query("SELECT pg_advisory_xact_lock(hashtext('relais.signing_key'))").execute().mapEmpty();
    }

    private Future<String> insertNewKey(SqlClient tx) {
        String kid = UUID.randomUUID().toString();
        KeyPair pair = generate();
        JsonObject jwk = Jwk.ofEc(kid, (ECPublicKey) pair.getPublic());
        byte[] sealed = box.seal(pair.getPrivate().getEncoded(), "signing-key:" + kid);
        return tx.preparedQuery("""
                        INSERT INTO signing_key (kid, algorithm, public_jwk, sealed_private, created_at)
                        SELECT $1, 'ES256', $2, $3,
                               -- keys stay ordered by creation even when the clock stands still (tests) or steps back
                               GREATEST($4::timestamptz, (SELECT max(created_at) + interval '1 millisecond' FROM signing_key))""")
                .execute(Tuple.of(kid, jwk, Buffer.buffer(sealed), OffsetDateTime.now(clock)))
                .map(kid);
    }

    /** Retires keys whose successor has signed for longer than a token lives: nothing they signed is valid now. */
    private Future<Void> retireSuperseded(SqlClient tx) {
        return tx.preparedQuery("""
                        UPDATE signing_key k SET retired_at = $2
                        WHERE retired_at IS NULL AND EXISTS (
                            SELECT 1 FROM signing_key n
                            WHERE n.created_at > k.created_at AND n.created_at < $2::timestamptz - make_interval(secs => $1))""")
                .execute(Tuple.of((double) tokenLifetime.plusMinutes(1).toSeconds(), OffsetDateTime.now(clock)))
                .mapEmpty();
    }

    private Key decode(Row row) {
        String kid = row.getString("kid");
        JsonObject jwk = (JsonObject) row.getValue("public_jwk");
        try {
            byte[] pkcs8 = box.open(row.getBuffer("sealed_private").getBytes(), "signing-key:" + kid);
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new Key(kid, privateKey, jwk, row.getOffsetDateTime("created_at").toInstant());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + kid + " cannot be opened: is secrets.masterKey the one "
                    + "that sealed it (the same on every node)?", e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is unavailable", e);
        }
    }
}
