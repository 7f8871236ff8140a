package fr.relais.record;

import fr.relais.audit.AuditLog;
import fr.relais.command.CommandRegistry;
import fr.relais.command.RequestFingerprints;
import fr.relais.config.RecordConfig;
import fr.relais.identity.account.AccountErasure;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.AccessedDocuments;
import fr.relais.secrets.MasterKey;
import fr.relais.secrets.Sealer;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;

/** Wires the record: its service, which routes and other features call in-process as {@link Documents}. */
public final class RecordModule {
    private final RecordService service;
    private final RecordRoutes routes;
    private final DepositorsOfAClosedSpace closedSpaces;
    private final DocumentTitles titles;

    public RecordModule(Streams streams, AccessPolicy policy, AuditLog audit, MasterKey masterKey, RecordConfig config, Clock clock) {
        Sealer sealer = new Sealer(masterKey, "documents", config.keyId());
        this.service = new RecordService(streams, policy, audit, sealer,
                new DatabaseDocumentStorage(), new DepositLimits(config.maxDocumentSize(), clock), new RequestFingerprints(masterKey));
        this.titles = new DocumentTitles(streams.pool(), sealer);
        this.routes = new RecordRoutes(service, service.uploads());
        this.closedSpaces = new DepositorsOfAClosedSpace(streams);
    }

    /** What closing a space does in the record besides its cascade: the depositing systems are told to stop sending. */
    public AccountErasure erasure() {
        return closedSpaces;
    }

    /** The titles of documents a patient's access history names, opened for the patient as they read it. */
    public AccessedDocuments accessedDocuments() {
        return titles;
    }

    /** The record, for features that file into it. */
    public Documents documents() {
        return service;
    }

    public void mountApi(Router api) {
        routes.mount(api);
    }

    /** Deletes the uploads no deposit took within their hour (a job of the hub); how many. */
    public Future<Integer> purgeUploads() {
        return service.uploads().purgeExpired();
    }

    /** A deposit over the socket: the REST route's rules, its idempotency keys included. */
    public void registerCommands(CommandRegistry commands) {
        commands.registerKeyed("document.deposit", RecordService.DEPOSIT_SCOPE, (who, args, key) -> service.deposit(who,
                DepositRequest.parse(args, key, service.limits())).map(Deposited::toJson));
    }
}
