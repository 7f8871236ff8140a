package fr.relais.record;

import fr.relais.audit.AuditLog;
import fr.relais.command.RequestFingerprints;
import fr.relais.config.RecordConfig;
import fr.relais.identity.account.AccountErasure;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Wires the record: its service, which routes and other features call in-process as {@link Documents}. */
public final class RecordModule {
    private final RecordService service;
    private final RecordRoutes routes;

    public RecordModule(Streams streams, AccessPolicy policy, AuditLog audit, MasterKey masterKey, RecordConfig config, Clock clock) {
        this.service = new RecordService(streams, policy, audit, new Sealer(masterKey, "documents", config.keyId()),
                new DatabaseDocumentStorage(), new DepositLimits(config.maxDocumentSize(), clock), new RequestFingerprints(masterKey));
        this.routes = new RecordRoutes(service);
    }

    /**
     * What a closed space takes out of other streams: the systems that deposited for the patient were told of their
     * documents (accepted, opened, hidden, deleted) with the patient's id.
     */
    public AccountErasure erasure() {
        return (tx, patient) -> tx.preparedQuery("""
                        SELECT DISTINCT author_id FROM document WHERE patient_id = $1 AND author_kind = 'integrator'""")
                .execute(Tuple.of(patient))
                .map(rows -> {
                    List<UUID> systems = new ArrayList<>();
                    rows.forEach(row -> systems.add(row.getUUID("author_id")));
                    return systems;
                });
    }

    /** The record, for features that file into it. */
    public Documents documents() {
        return service;
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }
}
