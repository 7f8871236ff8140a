package fr.relais.identity.account;

import fr.relais.audit.AuditLog;
import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.session.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An operator disables a system (a compromised lab's, an app withdrawn from the catalogue) or enables it again.
 * Disabled, it gets no token, its tokens stop at once on every node and its sockets close (its sessions are revoked
 * and announced), it gets no webhook delivery, and no delegation or consent to it counts; nothing of it is deleted.
 */
public final class IntegratorSwitch {
    private final Pool pool;
    private final Sessions sessions;
    private final AuditLog audit;

    public IntegratorSwitch(Pool pool, Sessions sessions, AuditLog audit) {
        this.pool = pool;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Sets {@code integrator} disabled or not → {id, clientId, name, disabled}; 404 {@code system_not_found}. */
    public Future<JsonObject> set(String admin, UUID integrator, boolean disabled) {
        List<UUID> revoked = new ArrayList<>();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                WITH changed AS (UPDATE integrator SET disabled = $2 WHERE id = $1 RETURNING id, client_id, name, disabled),
                                ended AS (UPDATE session SET revoked_at = now(), revoked_reason = 'integrator_disabled'
                                          WHERE integrator_id = $1 AND $2 AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM changed)
                                          RETURNING id)
                                SELECT c.id, c.client_id, c.name, c.disabled, ARRAY(SELECT id FROM ended) AS ended FROM changed c""")
                        .execute(Tuple.of(integrator, disabled))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.failedFuture(ApiError.notFound("system_not_found", "No system has this id."));
                            }
                            Row row = rows.iterator().next();
                            revoked.addAll(List.of(row.getArrayOfUUIDs("ended")));
                            return audit.append(tx, AuditEvent.of("admin", admin, disabled ? "integrator.disable" : "integrator.enable",
                                            "success").detail("clientId", row.getString("client_id")))
                                    .map(v -> new JsonObject().put("id", row.getUUID("id").toString())
                                            .put("clientId", row.getString("client_id")).put("name", row.getString("name"))
                                            .put("disabled", row.getBoolean("disabled")));
                        }))
                .onSuccess(v -> sessions.announce(revoked));
    }
}
