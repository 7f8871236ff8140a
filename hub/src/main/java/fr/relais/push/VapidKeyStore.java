package fr.relais.push;

import com.interaso.webpush.VapidKeys;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.OffsetDateTime;

/**
 * The cluster's one VAPID key pair, in {@code push_vapid_key}: the first node to start makes it, and since the row's
 * key is fixed, nodes starting together each offer theirs and all read back the one that was stored
 * ({@code ON CONFLICT DO NOTHING}). The private half is sealed under the master key; every node must share it.
 */
final class VapidKeyStore {
    private static final String CONTEXT = "push-vapid-key";

    private final Pool pool;
    private final Sealer sealer;
    private final Clock clock;

    VapidKeyStore(Pool pool, Sealer sealer, Clock clock) {
        this.pool = pool;
        this.sealer = sealer;
        this.clock = clock;
    }

    Future<VapidKeys> loadOrCreate() {
        VapidKeys offered = VapidKeys.generate();
        return pool.preparedQuery("""
                        INSERT INTO push_vapid_key (id, public_key, sealed_private, key_id, created_at) VALUES (1, $1, $2, $3, $4)
                        ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.of(Buffer.buffer(P256.uncompressed(offered.getPublicKey())),
                        Buffer.buffer(sealer.seal(offered.getPrivateKey().getEncoded(), CONTEXT)), sealer.keyId(), OffsetDateTime.now(clock)))
                .compose(v -> pool.query("SELECT public_key, sealed_private, key_id FROM push_vapid_key WHERE id = 1").execute())
                .map(rows -> decode(rows.iterator().next()));
    }

    private VapidKeys decode(Row row) {
        try {
            byte[] pkcs8 = sealer.open(row.getBuffer("sealed_private").getBytes(), row.getString("key_id"), CONTEXT);
            ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            ECPublicKey publicKey = P256.publicKey(row.getBuffer("public_key").getBytes());
            return new VapidKeys(publicKey, privateKey);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the VAPID key cannot be opened: is secrets.masterKey the one that sealed it "
                    + "(the same on every node)?", e);
        }
    }
}
