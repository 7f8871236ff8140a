package fr.relais.identity.policy;

import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The reasons professionals give for an emergency access, at rest. A reason is free text, clinical in practice
 * ("unconscious after a fall, diabetic"), so it is sealed (AES-256-GCM, key id per row) and bound to its
 * emergency access; only the patient's access history opens it.
 */
public final class EmergencyReasons {
    private static final int LEFTOVER_PAGE = 500;

    private final Sealer sealer;

    public EmergencyReasons(MasterKey masterKey) {
        this.sealer = new Sealer(masterKey, "emergency-reasons", "e1");
    }

    Buffer seal(UUID emergencyAccess, String reason) {
        return Buffer.buffer(sealer.seal(reason, context(emergencyAccess)));
    }

    String keyId() {
        return sealer.keyId();
    }

    String open(UUID emergencyAccess, Buffer sealed, String keyId) {
        return sealer.openText(sealed.getBytes(), keyId, context(emergencyAccess));
    }

    /**
     * Seals the reasons that an older version wrote in clear (a migration has no key to do it); run at start,
     * safe on several nodes at once.
     */
    public Future<Void> sealLeftovers(Pool pool) {
        return pool.preparedQuery("SELECT id, reason FROM emergency_access WHERE reason IS NOT NULL LIMIT $1")
                .execute(Tuple.of(LEFTOVER_PAGE))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture();
                    }
                    List<Tuple> sealed = new ArrayList<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("id");
                        sealed.add(Tuple.of(id, seal(id, row.getString("reason")), keyId()));
                    }
                    return pool.preparedQuery("""
                                    UPDATE emergency_access SET reason = NULL, reason_sealed = $2, key_id = $3
                                    WHERE id = $1 AND reason IS NOT NULL""")
                            .executeBatch(sealed)
                            .compose(v -> sealLeftovers(pool));
                });
    }

    private static String context(UUID emergencyAccess) {
        return "emergency-access:" + emergencyAccess;
    }
}
