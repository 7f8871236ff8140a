package fr.relais.identity.policy;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.stream.StreamTransaction;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * The one place that decides who may read a patient's data, used by every feature:
 * <ul>
 *   <li>the patient always, and their legal representative;</li>
 *   <li>a professional only within a care relationship or an unexpired emergency access, never if the patient
 *       blocked them, and only for the categories the profession matrix grants;</li>
 *   <li>nobody else (admins manage accounts, not records).</li>
 * </ul>
 * A refusal is a 404, so that nobody learns whether the patient exists. Every granted access by someone other
 * than the patient is written to the patient's access history and to the audit log, in the caller's
 * transaction; the first access of each professional, and every emergency access, is also a
 * {@code record.accessed} event on the patient's stream, so the patient is told live.
 */
public final class AccessPolicy {
    /**
     * A granted access: whether it was by emergency (and when that access ends), and whether it is this actor's first
     * access.
     */
    public record Access(boolean emergency, boolean firstAccess, java.time.Instant emergencyEndsAt) {
        static final Access OWNER = new Access(false, false, null);
    }

    /**
     * What an access shows of the patient's data, as the patient's access history names it: a stable code
     * ({@code identity}, {@code documents}, {@code document}, {@code profile}, {@code appointments},
     * {@code conversations}, {@code notifications}) and, for one document, its id. Never a title: the history finds a document's title
     * when the patient reads it (see {@link AccessedDocuments}), so nothing of it is kept in clear.
     */
    public record Seen(String what, UUID documentId) {
        public static final Seen IDENTITY = new Seen("identity", null);
        public static final Seen DOCUMENTS = new Seen("documents", null);
        public static final Seen PROFILE = new Seen("profile", null);
        public static final Seen APPOINTMENTS = new Seen("appointments", null);
        public static final Seen CONVERSATIONS = new Seen("conversations", null);
        public static final Seen NOTIFICATIONS = new Seen("notifications", null);

        public static Seen document(UUID id) {
            return new Seen("document", id);
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AccessPolicy.class);

    private final ProfessionMatrix matrix;
    private final AuditLog audit;
    private final java.time.Clock clock;

    public AccessPolicy(ProfessionMatrix matrix, AuditLog audit, java.time.Clock clock) {
        this.matrix = matrix;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Checks that {@code who} may read {@code category} of {@code patientId}'s data and records the access.
     *
     * @param action what is done, for the history and the audit (e.g. {@code record.read}, {@code document.read})
     * @param seen   what of the patient's data it shows, for the history
     */
    public Future<Access> read(StreamTransaction stx, Principal who, UUID patientId, DataCategory category, String action,
                               Seen seen) {
        SqlClient tx = stx.sql();
        if (who.is(Principal.Kind.PATIENT) && who.id().equals(patientId)) {
            return Future.succeededFuture(Access.OWNER);
        }
        if (who.isApp()) {
            return appRead(stx, who, patientId, category, action, seen);
        }
        return tx.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM account WHERE id = $1 AND kind = 'patient') AS patient_exists,
                               EXISTS (SELECT 1 FROM patient WHERE account_id = $1 AND representative_id = $2) AS representative,
                               EXISTS (SELECT 1 FROM professional_block WHERE patient_id = $1 AND professional_id = $2) AS blocked,
                               EXISTS (SELECT 1 FROM care_relationship WHERE patient_id = $1 AND professional_id = $2) AS in_care,
                               (SELECT id FROM emergency_access WHERE patient_id = $1 AND professional_id = $2
                                  AND expires_at > $3 ORDER BY expires_at DESC LIMIT 1) AS emergency_access,
                               (SELECT max(expires_at) FROM emergency_access WHERE patient_id = $1 AND professional_id = $2
                                  AND expires_at > $3) AS emergency_ends_at,
                               (SELECT display_name FROM account WHERE id = $2) AS actor_name""")
                .execute(Tuple.of(patientId, who.id(), java.time.OffsetDateTime.now(clock)))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("patient_exists")) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    if (row.getBoolean("representative")) {
                        return record(stx, who, patientId, row.getString("actor_name"), action, seen, null, null);
                    }
                    if (!who.is(Principal.Kind.PROFESSIONAL) || row.getBoolean("blocked")
                            || !matrix.allows(who.profession(), category)) {
                        return denied(tx, who, patientId, action);
                    }
                    if (row.getBoolean("in_care")) {
                        return record(stx, who, patientId, row.getString("actor_name"), action, seen, null, null);
                    }
                    UUID emergency = row.getUUID("emergency_access");
                    return emergency != null
                            ? record(stx, who, patientId, row.getString("actor_name"), action, seen, emergency,
                                    row.getOffsetDateTime("emergency_ends_at").toInstant())
                            : denied(tx, who, patientId, action);
                });
    }

    /**
     * A catalogue app reads its consenting patient's data in the categories its token's scopes open (identity, the
     * entry check of a listing that shows those categories only, with any of them), while the patient's consent to those scopes stands and they have not blocked the app
     * or its organisation; its accesses are the patient's to see, like a professional's.
     */
    private Future<Access> appRead(StreamTransaction stx, Principal app, UUID patientId, DataCategory category, String action,
                                   Seen seen) {
        SqlClient tx = stx.sql();
        java.util.Set<DataCategory> granted = readableCategories(app);
        if (!app.patient().equals(patientId) || granted.isEmpty()
                || category != DataCategory.IDENTITY && !granted.contains(category)) {
            return denied(tx, app, patientId, action);
        }
        return standingConsent(tx, app, patientId)
                .compose(rows -> rows.size() == 0 ? denied(tx, app, patientId, action)
                        : record(stx, app, patientId, rows.iterator().next().getString("name"), action, seen, null, null));
    }

    /**
     * A catalogue app reads, as a list, what its socket is sent of its consenting patient's stream (the notification
     * centre): while the consent stands and the patient has not blocked the app or its organisation; recorded in the
     * patient's access history. A refusal is a 404, as for reading.
     */
    public Future<Access> appFollows(StreamTransaction stx, Principal app, UUID patientId, String action) {
        SqlClient tx = stx.sql();
        if (!app.isApp() || !app.patient().equals(patientId)) {
            return denied(tx, app, patientId, action);
        }
        return standingConsent(tx, app, patientId)
                .compose(rows -> rows.size() == 0 ? denied(tx, app, patientId, action)
                        : record(stx, app, patientId, rows.iterator().next().getString("name"), action, Seen.NOTIFICATIONS, null, null));
    }

    /**
     * Whether the catalogue app {@code app} may add to its consenting patient's {@code category} of data (connected
     * devices adding measurements): its token carries {@code scope}, the consent to it stands, the patient has not
     * blocked the app; a refusal is a 404, as for reading.
     */
    public Future<Void> appWrite(SqlClient tx, Principal app, UUID patientId, DataCategory category, String action) {
        boolean scoped = AppScope.of(app.scopes()).stream().anyMatch(scope -> scope.writes().contains(category));
        if (!app.isApp() || !app.patient().equals(patientId) || !scoped) {
            return denied(tx, app, patientId, action).mapEmpty();
        }
        return standingConsent(tx, app, patientId)
                .compose(rows -> rows.size() == 0 ? denied(tx, app, patientId, action).mapEmpty() : Future.<Void>succeededFuture());
    }

    /** The app's name, if the patient's consent to the token's scopes stands and the app is neither disabled nor blocked. */
    private static Future<io.vertx.sqlclient.RowSet<Row>> standingConsent(SqlClient tx, Principal app, UUID patientId) {
        return tx.preparedQuery("""
                        SELECT i.name FROM app_consent c JOIN integrator i ON i.id = c.integrator_id AND NOT i.disabled
                        WHERE c.patient_id = $1 AND c.integrator_id = $2 AND c.scopes @> $3 AND NOT %s"""
                        .formatted(SystemBlocks.blockedSql("$1", "$2")))
                .execute(Tuple.of(patientId, app.id(), app.scopes().toArray(String[]::new)));
    }

    /** The categories {@code who} may read in a record they have access to (all for the patient and representative). */
    public java.util.Set<DataCategory> readableCategories(Principal who) {
        if (who.isApp()) {
            java.util.Set<DataCategory> granted = java.util.EnumSet.noneOf(DataCategory.class);
            AppScope.of(who.scopes()).forEach(scope -> granted.addAll(scope.reads()));
            return granted;
        }
        if (!who.is(Principal.Kind.PROFESSIONAL)) {
            return java.util.EnumSet.allOf(DataCategory.class);
        }
        java.util.Set<DataCategory> allowed = java.util.EnumSet.noneOf(DataCategory.class);
        for (DataCategory category : DataCategory.values()) {
            if (matrix.allows(who.profession(), category)) {
                allowed.add(category);
            }
        }
        return allowed;
    }

    /** Whether a document is visible to {@code who} given its author and whether the patient hid it. */
    public static boolean documentVisible(Principal who, UUID patientId, UUID authorId, boolean hidden) {
        if (who.id().equals(patientId) || who.id().equals(authorId)) {
            return true;
        }
        return !hidden;
    }

    /**
     * Records an access in one round trip (whether it is the actor's first, and the history entry), and sends its
     * audit entry and its {@code record.accessed} event (on the actor's first access, and on the first read under
     * each emergency access) with the COMMIT.
     */
    private Future<Access> record(StreamTransaction stx, Principal who, UUID patientId, String actorName, String action,
                                  Seen seen, UUID emergencyAccess, java.time.Instant emergencyEndsAt) {
        SqlClient tx = stx.sql();
        boolean emergency = emergencyAccess != null;
        String name = actorName == null ? "" : actorName;
        // the first read under an emergency access is claimed on its row: reads made at once wait for one another there
        return tx.preparedQuery("""
                        WITH first AS (
                            INSERT INTO first_access (patient_id, actor_id) VALUES ($1, $3)
                            ON CONFLICT DO NOTHING RETURNING actor_id),
                        emergency_first AS (
                            UPDATE emergency_access SET first_read_at = $10 WHERE id = $7 AND first_read_at IS NULL RETURNING id),
                        recorded AS (
                            INSERT INTO access_history (patient_id, actor_kind, actor_id, actor_name, action, emergency,
                                                        emergency_access_id, first_access, what, document_id)
                            SELECT $1, $2, $3, $4, $5, $6, $7, EXISTS (SELECT 1 FROM first), $8, $9
                            RETURNING first_access)
                        SELECT first_access, EXISTS (SELECT 1 FROM emergency_first) AS emergency_first FROM recorded""")
                .execute(Tuple.tuple().addUUID(patientId).addString(who.kind().wireName()).addUUID(who.id()).addString(name)
                        .addString(action).addBoolean(emergency).addUUID(emergencyAccess).addString(seen.what())
                        .addUUID(seen.documentId()).addOffsetDateTime(java.time.OffsetDateTime.now(clock)))
                .compose(rows -> {
                    Row row = rows.iterator().next();
                    boolean first = row.getBoolean("first_access");
                    boolean firstUnderEmergency = row.getBoolean("emergency_first");
                    stx.sendWithCommit(audit.append(tx, AuditEvent.of(who.kind().wireName(), who.id().toString(), action,
                            "success").patient(patientId).detail("emergency", emergency).detail("what", seen.what())));
                    Future<Void> told = !first && !firstUnderEmergency ? Future.succeededFuture()
                            : stx.append(patientId, "record.accessed", new JsonObject()
                                    .put("actorId", who.id().toString()).put("actorKind", who.kind().wireName())
                                    .put("actorName", name).put("action", action).put("what", seen.what())
                                    .put("firstAccess", first).put("emergency", emergency));
                    return told.map(new Access(emergency, first, emergencyEndsAt));
                });
    }

    /**
     * The refusal is audited on its own, not in the caller's transaction, which rolls back on the refusal; it is
     * not awaited, so the refusal is answered at once.
     */
    private Future<Access> denied(SqlClient tx, Principal who, UUID patientId, String action) {
        audit.append(AuditEvent.of(who.kind().wireName(), who.id().toString(), action, "denied").patient(patientId))
                .onFailure(e -> log.warn("cannot audit a refused access: {}", e.getMessage()));
        return Future.failedFuture(ApiError.nothingHere());
    }

}
