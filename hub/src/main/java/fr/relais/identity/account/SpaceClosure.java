package fr.relais.identity.account;

import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.identity.session.Sessions;
import fr.relais.secrets.MasterKey;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A patient closes their space (or opposes it): their sessions are revoked, every row that belongs to them is
 * deleted (foreign keys cascade from the account; the event stream, the login rate counters and what features
 * erase themselves ({@link AccountErasure}) go too), and the audit log keeps only that it happened. After the
 * commit the revoked sessions are announced so that gateways drop their sockets.
 */
public final class SpaceClosure {
    /** Event-bus address: a JSON array of revoked session ids. */
    public static final String SESSIONS_REVOKED = Sessions.REVOKED_ADDRESS;

    private final Pool pool;
    private final Streams streams;
    private final Sessions sessions;
    private final AuditLog audit;
    private final MasterKey masterKey;
    private final List<AccountErasure> features = new CopyOnWriteArrayList<>();

    public SpaceClosure(Pool pool, Streams streams, Sessions sessions, AuditLog audit, MasterKey masterKey) {
        this.streams = streams;
        this.pool = pool;
        this.sessions = sessions;
        this.audit = audit;
        this.masterKey = masterKey;
    }

    /** Has {@code erasure} run in every closing transaction (features register at start-up). */
    public void alsoErase(AccountErasure erasure) {
        features.add(erasure);
    }

    /** Closes the space of {@code patient}; with {@code oppose}, it may never be created again. */
    public Future<Void> close(Account patient, boolean oppose, String ip) {
        return pool.withTransaction(tx -> sessions.revokeAll(tx, patient.id(), "space_closed")
                        .compose(revoked -> (oppose ? recordOpposition(tx, masterKey, patient.ins()) : Future.<Void>succeededFuture())
                                .compose(v -> audit.append(tx, AuditEvent.of("patient", patient.id().toString(),
                                        oppose ? "space.oppose" : "space.close", "success").patient(patient.id()).from(ip)))
                                .compose(v -> erase(tx, patient, oppose))
                                .map(revoked)))
                .onSuccess(revoked -> {
                    sessions.announce(revoked);
                    streams.sweep(); // the systems' notices were written by SQL: number them now
                })
                .mapEmpty();
    }

    /**
     * Deletes the patient and all that is theirs, in the caller's transaction (closing, or opposing at activation),
     * the streams last ({@link Streams#deleteStreamOf}): nothing else may follow it in the transaction.
     */
    public Future<Void> erase(SqlClient tx, Account patient, boolean opposed) {
        Set<UUID> mentionedIn = new HashSet<>();
        Future<Void> chain = consentsEnded(tx, patient.id());
        for (AccountErasure feature : features) {
            chain = chain.compose(v -> feature.erase(tx, patient.id(), opposed).map(mentionedIn::addAll).mapEmpty());
        }
        return chain
                .compose(v -> tx.preparedQuery("DELETE FROM rate_limit WHERE key = $1 OR starts_with(key, $1 || ' from ')")
                        .execute(Tuple.of(Accounts.loginRateKey(patient.email()))))
                .compose(v -> tx.preparedQuery("SELECT number FROM account_phone WHERE account_id = $1 AND number IS NOT NULL")
                        .execute(Tuple.of(patient.id())))
                .compose(numbers -> numbers.size() == 0 ? Future.succeededFuture()
                        : Outbox.forget(tx, Channel.SMS, numbers.iterator().next().getString("number")))
                .compose(v -> Accounts.delete(tx, patient.id()))
                .compose(v -> Streams.deleteStreamOf(tx, patient.id(), mentionedIn));
    }

    /**
     * Each app the patient connected hears that its consent ended with the space, by the consent's id (what it was
     * told at the grant), never the patient's: their id leaves every stream with them.
     */
    private Future<Void> consentsEnded(SqlClient tx, UUID patient) {
        return tx.preparedQuery(Streams.outboxInsert("""
                        SELECT integrator_id, 'consent.revoked', jsonb_build_object('consentId', id::text, 'reason', 'space_closed'),
                               $2::timestamptz
                        FROM app_consent WHERE patient_id = $1"""))
                .execute(Tuple.of(patient, streams.eventTime()))
                .mapEmpty();
    }

    static Future<Void> recordOpposition(SqlClient tx, MasterKey masterKey, String ins) {
        return tx.preparedQuery("INSERT INTO space_opposition (ins_hash) VALUES ($1) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(Buffer.buffer(masterKey.keyedHash("ins", ins))))
                .mapEmpty();
    }
}
