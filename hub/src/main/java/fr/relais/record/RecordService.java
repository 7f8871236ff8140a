package fr.relais.record;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.command.RequestFingerprints;
import fr.relais.error.ApiError;
import fr.relais.identity.account.Account;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.account.Organisations;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.Blocked;
import fr.relais.identity.policy.DataCategory;
import fr.relais.identity.policy.PatientLookup;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.stream.StreamTransaction;
import fr.relais.stream.Streams;
import fr.relais.web.DateWindow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The record (the patient's vault of documents): deposits by professionals, integrators and the patient; listing,
 * reading, hiding, deleting and new versions, every read by someone else through the access policy. Runs on the
 * caller's event loop: its SQL is the reactive client's, and sealing is in memory.
 */
final class RecordService implements Documents {
    /** A system's deposits, newest first, but for patients who blocked it. */
    private static final String DEPOSITS = """
            SELECT d.id, d.kind, d.care_date, d.hidden, d.superseded, d.opened_at, d.idempotency_key, d.created_at
            FROM document d
            WHERE d.author_id = $1 AND d.author_kind = 'integrator' AND NOT %s
              AND (d.created_at, d.id) < ($2, $3)
            ORDER BY d.created_at DESC, d.id DESC LIMIT $4""".formatted(Blocked.sql(Principal.Kind.INTEGRATOR, "d.patient_id", "$1"));

    private final Streams streams;
    private final AccessPolicy policy;
    private final AuditLog audit;
    private final Sealer sealer;
    private final DocumentStorage storage;
    private final DepositLimits limits;
    private final RequestFingerprints fingerprints;

    private final Uploads uploads;

    RecordService(Streams streams, AccessPolicy policy, AuditLog audit, Sealer sealer, DocumentStorage storage,
                  DepositLimits limits, RequestFingerprints fingerprints) {
        this.streams = streams;
        this.policy = policy;
        this.audit = audit;
        this.sealer = sealer;
        this.storage = storage;
        this.limits = limits;
        this.fingerprints = fingerprints;
        this.uploads = new Uploads(streams.pool(), sealer, limits, limits.clock());
    }

    @Override
    public DepositLimits limits() {
        return limits;
    }

    /** The scope a system needs to deposit, and to follow its deposits. */
    public static final String DEPOSIT_SCOPE = "documents:write";

    /** Admins deposit nothing, integrators only with {@code documents:write}: checked before the request is read. */
    static void requireDepositor(Principal who) {
        if (who.is(Principal.Kind.ADMIN)) {
            throw ApiError.of(403, "forbidden", "Administrators deposit no document.");
        }
        if (who.is(Principal.Kind.INTEGRATOR) && !who.hasScope(DEPOSIT_SCOPE)) {
            throw ApiError.of(403, "insufficient_scope", "Depositing documents needs documents:write.");
        }
    }

    @Override
    public Future<Deposited> deposit(Principal who, DepositRequest request) {
        try {
            requireDepositor(who);
        } catch (ApiError refused) {
            return Future.failedFuture(refused);
        }
        byte[] fingerprint = request.idempotencyKey() == null ? null : fingerprints.of(who.id(), "document.deposit", request.asked());
        // three round trips: the author's name, the patient (and whether they blocked the depositor: a retry after a
        // block is refused too) and an earlier deposit with the key go together; then the writes; then the COMMIT
        return streams.withTransaction(tx -> {
            Future<Author> author = author(tx.sql(), who);
            Future<UUID> patient = patientFor(tx.sql(), who, request.patient());
            Future<Row> previous = previous(tx.sql(), who.id(), request.idempotencyKey());
            return Future.all(author, patient, previous).compose(found -> {
                Document replayed = replayed(previous.result(), patient.result(), fingerprint);
                return replayed != null ? Future.succeededFuture(Future.succeededFuture(new Deposited(replayed, true)))
                        : withContent(tx, who, request).map(complete -> insert(tx, who, author.result(), patient.result(),
                                complete, null, fingerprint).map(document -> new Deposited(document, false)));
            });
        }).compose(deposited -> deposited);
    }

    @Override
    public Future<DepositsPage> deposits(Principal who, String before, Integer limit) {
        if (!who.is(Principal.Kind.INTEGRATOR)) {
            return Future.failedFuture(ApiError.of(403, "forbidden", "Systems list their deposits."));
        }
        if (!who.hasScope(DEPOSIT_SCOPE)) {
            return Future.failedFuture(ApiError.of(403, "insufficient_scope", "Listing deposits needs documents:write."));
        }
        Instant beforeTime = Instant.parse("2200-12-31T23:59:59Z");
        UUID beforeId = new UUID(-1, -1);
        if (before != null) {
            String[] cursor = before.split("_", 2);
            try {
                beforeTime = Instant.parse(cursor[0]);
                beforeId = UUID.fromString(cursor.length > 1 ? cursor[1] : "");
            } catch (RuntimeException e) {
                return Future.failedFuture(ApiError.invalidField("before", "before is the next cursor of a page."));
            }
            if (!DateWindow.contains(beforeTime)) {
                return Future.failedFuture(ApiError.invalidField("before", "before is the next cursor of a page."));
            }
        }
        int size = Math.min(200, Math.max(1, limit == null ? 50 : limit));
        return streams.pool().preparedQuery(DEPOSITS)
                .execute(Tuple.of(who.id(), OffsetDateTime.ofInstant(beforeTime, ZoneOffset.UTC), beforeId, size))
                .map(rows -> {
                    List<DepositStatus> items = new ArrayList<>();
                    for (Row row : rows) {
                        OffsetDateTime opened = row.getOffsetDateTime("opened_at");
                        items.add(new DepositStatus(row.getUUID("id"),
                                DocumentKind.parse(row.getString("kind"), "kind"), row.getLocalDate("care_date"),
                                row.getBoolean("hidden"), row.getBoolean("superseded"), opened == null ? null : opened.toInstant(),
                                row.getString("idempotency_key"), row.getOffsetDateTime("created_at").toInstant()));
                    }
                    DepositStatus last = items.isEmpty() ? null : items.get(items.size() - 1);
                    return new DepositsPage(items, last != null && items.size() == size
                            ? last.createdAt() + "_" + last.documentId() : null);
                });
    }

    @Override
    public Future<DocumentPage> list(Principal who, UUID patient, DocumentQuery args) {
        return streams.withTransaction(tx -> policy.read(tx, who, patient, DataCategory.IDENTITY, "record.list",
                AccessPolicy.Seen.DOCUMENTS).compose(access -> {
            Set<String> kinds = new java.util.HashSet<>();
            Set<DataCategory> readable = policy.readableCategories(who);
            for (DocumentKind kind : DocumentKind.values()) {
                if (readable.contains(kind.category())) {
                    kinds.add(kind.wireName());
                }
            }
            if (args.kind() != null) {
                kinds.retainAll(Set.of(DocumentKind.parse(args.kind(), "kind").wireName()));
            }
            LocalDate from = args.from() == null ? DateWindow.FIRST : DateWindow.date(args.from(), "from");
            LocalDate to = args.to() == null ? DateWindow.LAST : DateWindow.date(args.to(), "to");
            String[] cursor = args.before() == null ? null : args.before().split("_", 2);
            LocalDate beforeDate = cursor == null ? DateWindow.LAST : DateWindow.date(cursor[0], "before");
            UUID beforeId = cursor == null ? new UUID(-1, -1) : uuid(cursor.length > 1 ? cursor[1] : "");
            int limit = Math.min(200, Math.max(1, args.limit() == null ? 50 : args.limit()));
            return tx.sql().preparedQuery("""
                            SELECT id, kind, title_sealed, key_id, care_date, author_id, author_kind, author_name, organisation_id, via_name, format, size,
                                   hidden, replaces_id, created_at
                            FROM document
                            WHERE patient_id = $1 AND NOT superseded AND kind = ANY($2) AND care_date BETWEEN $3 AND $4
                              AND ($5::uuid IS NULL OR author_id = $5)
                              AND (NOT hidden OR $6 OR author_id = $7)
                              AND (care_date, id) < ($8, $9)
                            ORDER BY care_date DESC, id DESC LIMIT $10""")
                    .execute(Tuple.tuple().addUUID(patient).addArrayOfString(kinds.toArray(String[]::new))
                            .addLocalDate(from).addLocalDate(to)
                            .addUUID(args.author() == null ? null : uuid(args.author()))
                            .addBoolean(who.id().equals(patient)).addUUID(who.id())
                            .addLocalDate(beforeDate).addUUID(beforeId).addInteger(limit))
                    .map(rows -> {
                        List<Document> items = new ArrayList<>();
                        Row last = null;
                        for (Row row : rows) {
                            last = row;
                            items.add(describe(row));
                        }
                        return new DocumentPage(items, last != null && items.size() == limit
                                ? last.getLocalDate("care_date") + "_" + last.getUUID("id") : null);
                    });
        }));
    }

    @Override
    public Future<DocumentFile> read(Principal who, UUID id) {
        return streams.withTransaction(tx -> document(tx.sql(), id).compose(row -> {
            UUID patient = row.getUUID("patient_id");
            boolean author = who.id().equals(row.getUUID("author_id"));
            if (row.getBoolean("hidden") && !author && !who.id().equals(patient)) {
                return Future.failedFuture(ApiError.nothingHere());
            }
            Future<?> allowed = author && !who.id().equals(patient)
                    ? notBlocking(tx.sql(), patient, who).recover(e -> Future.failedFuture(ApiError.nothingHere()))
                            .compose(v -> audit.append(tx.sql(), AuditEvent.of(who.kind().wireName(), who.id().toString(),
                                    "document.read", "success").patient(patient).detail("document", id.toString())))
                    : policy.read(tx, who, patient, DocumentKind.parse(row.getString("kind"), "kind").category(), "document.read",
                            AccessPolicy.Seen.document(id));
            return allowed.compose(v -> {
                Future<byte[]> content = storage.get(tx.sql(), id);
                return Future.all(content, firstOpened(tx, who, row)).map(both -> new DocumentFile(describe(row),
                        sealer.open(content.result(), row.getString("key_id"), "document:" + id)));
            });
        }));
    }

    /** A system's document opened by its patient for the first time: the system is told, once. */
    private static Future<Void> firstOpened(StreamTransaction tx, Principal who, Row document) {
        if (!who.id().equals(document.getUUID("patient_id")) || !fromSystem(document) || document.getValue("opened_at") != null) {
            return Future.succeededFuture();
        }
        UUID id = document.getUUID("id");
        return tx.sql().preparedQuery("UPDATE document SET opened_at = now() WHERE id = $1 AND opened_at IS NULL")
                .execute(Tuple.of(id))
                .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture()
                        : tellSystem(tx, List.of(document), "document.opened", new JsonObject()));
    }

    private static boolean fromSystem(Row document) {
        return Principal.Kind.INTEGRATOR.wireName().equals(document.getString("author_kind"));
    }

    /**
     * An event about each of {@code versions} (of one document, so of one patient and one author: only the author
     * adds versions) for the system that deposited them: nothing if a person did, nor to a system the patient
     * blocked (it learns nothing more of the patient). It names the document only, never the patient: the system
     * may know them by their INS alone.
     */
    private static Future<Void> tellSystem(StreamTransaction tx, List<Row> versions, String type, JsonObject data) {
        Row document = versions.get(0);
        if (!fromSystem(document)) {
            return Future.succeededFuture();
        }
        UUID system = document.getUUID("author_id");
        return Blocked.of(tx.sql(), document.getUUID("patient_id"), Principal.Kind.INTEGRATOR, system).map(blocked -> {
            for (Row version : blocked ? List.<Row>of() : versions) {
                tx.append(system, type, data.copy().put("documentId", version.getUUID("id").toString()));
            }
            return null;
        });
    }

    @Override
    public Future<Document> hide(Principal who, UUID id, boolean hidden) {
        return streams.withTransaction(tx -> ownersDocument(tx.sql(), who, id).compose(row -> tx.sql()
                .preparedQuery("UPDATE document SET hidden = $2 WHERE id = $1 AND hidden <> $2").execute(Tuple.of(id, hidden))
                .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture()
                        : tellSystem(tx, List.of(row), "document.hidden", new JsonObject().put("hidden", hidden)))
                .map(v -> describe(row).hidden(hidden))));
    }

    @Override
    public Future<Void> delete(Principal who, UUID id) {
        // the patient's space is theirs: they delete any document of their record, every version of it, and a system
        // that deposited one is told of each
        return streams.withTransaction(tx -> ownersDocument(tx.sql(), who, id).compose(row -> tx.sql()
                .preparedQuery("""
                        WITH RECURSIVE older AS (
                            SELECT id, replaces_id FROM document WHERE id = $1
                            UNION SELECT d.id, d.replaces_id FROM document d JOIN older o ON d.id = o.replaces_id),
                        newer AS (
                            SELECT id FROM document WHERE id = $1
                            UNION SELECT d.id FROM document d JOIN newer n ON d.replaces_id = n.id)
                        DELETE FROM document WHERE patient_id = $2 AND id IN (SELECT id FROM older UNION SELECT id FROM newer)
                        RETURNING id, patient_id, author_id, author_kind""")
                .execute(Tuple.of(id, who.id()))
                .compose(deleted -> {
                    List<Row> versions = new ArrayList<>();
                    deleted.forEach(versions::add);
                    return versions.isEmpty() ? Future.failedFuture(ApiError.nothingHere()) // deleted meanwhile
                            : tellSystem(tx, versions, "document.deleted", new JsonObject());
                })));
    }

    @Override
    public Future<Document> replace(Principal who, UUID id, DepositRequest request) {
        return streams.withTransaction(tx -> document(tx.sql(), id).compose(row -> {
            if (!who.id().equals(row.getUUID("author_id"))) {
                return Future.failedFuture(ApiError.nothingHere());
            }
            return notBlocking(tx.sql(), row.getUUID("patient_id"), who)
                    .recover(e -> Future.failedFuture(ApiError.nothingHere()))
                    .compose(v -> tx.sql().preparedQuery("UPDATE document SET superseded = true WHERE id = $1 AND NOT superseded")
                            .execute(Tuple.of(id)))
                    .compose(updated -> updated.rowCount() == 0
                            ? Future.failedFuture(ApiError.of(409, "already_replaced", "This version was already replaced."))
                            : author(tx.sql(), who).compose(author -> withContent(tx, who, request).map(complete ->
                                    insert(tx, who, author, row.getUUID("patient_id"), complete, id, null))));
        })).compose(document -> document);
    }

    /** The request with its content: the upload it names is taken (one round trip), in the deposit's transaction. */
    private Future<DepositRequest> withContent(StreamTransaction tx, Principal who, DepositRequest request) {
        return request.upload() == null ? Future.succeededFuture(request)
                : uploads.take(tx.sql(), who, request.upload()).map(taken -> request.withUploaded(taken.content(), taken.format()));
    }

    /** Contents sent ahead of their deposits. */
    Uploads uploads() {
        return uploads;
    }

    /**
     * Writes the document, its sealed content, its audit entry and its event, none of them waited for: they leave
     * together with the outbox write, in one round trip, before the COMMIT. The document, as inserted, is read once
     * the transaction ends (a failed insert fails the transaction). {@code fingerprint}: of the request, kept with
     * its idempotency key (null without a key).
     */
    private Future<Document> insert(StreamTransaction tx, Principal who, Author author, UUID patient, DepositRequest request,
                                    UUID replaces, byte[] fingerprint) {
        UUID id = UUID.randomUUID();
        Future<Document> inserted = tx.sql().preparedQuery("""
                        INSERT INTO document (id, patient_id, kind, title_sealed, care_date, author_id, author_kind, author_name,
                                              format, size, sha256, key_id, replaces_id, idempotency_key, request_hmac,
                                              organisation_id, via_name)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                        RETURNING id, kind, title_sealed, key_id, care_date, author_id, author_kind, author_name, organisation_id, via_name, format, size,
                                  hidden, replaces_id, created_at""")
                .execute(Tuple.tuple().addUUID(id).addUUID(patient).addString(request.kind().wireName())
                        .addBuffer(Buffer.buffer(sealer.seal(request.title(), "document-title:" + id)))
                        .addLocalDate(request.careDate()).addUUID(who.id()).addString(who.kind().wireName()).addString(author.name())
                        .addString(request.format()).addInteger(request.content().length)
                        .addBuffer(Buffer.buffer(sha256(request.content()))).addString(sealer.keyId())
                        .addUUID(replaces).addString(request.idempotencyKey())
                        .addBuffer(fingerprint == null ? null : Buffer.buffer(fingerprint))
                        .addUUID(author.organisationId()).addString(author.via()))
                .map(rows -> describe(rows.iterator().next()));
        tx.sendWithCommit(inserted);
        tx.sendWithCommit(storage.put(tx.sql(), id, sealer.seal(request.content(), "document:" + id)));
        if (!who.id().equals(patient)) {
            tx.sendWithCommit(audit.append(tx.sql(), AuditEvent.of(who.kind().wireName(), who.id().toString(),
                    "document.deposit", "success").patient(patient).detail("document", id.toString())));
        }
        tx.append(patient, "document.arrived", new JsonObject()
                .put("documentId", id.toString()).put("kind", request.kind().wireName())
                .put("authorKind", who.kind().wireName()).put("authorName", author.name())
                .put("replaces", replaces == null ? null : replaces.toString()).put("actorId", who.id().toString()));
        if (who.is(Principal.Kind.INTEGRATOR)) {
            // the system's acknowledgement on its own stream: ids and kind, never the title nor the patient's id
            tx.append(who.id(), "document.accepted", new JsonObject()
                    .put("documentId", id.toString()).put("kind", request.kind().wireName())
                    .put("replaces", replaces == null ? null : replaces.toString())
                    .put("idempotencyKey", request.idempotencyKey()));
        }
        return inserted;
    }

    /** The patient of a deposit: oneself for a patient; by INS or id for others, never one who blocked the depositor. */
    private Future<UUID> patientFor(SqlConnection sql, Principal who, PatientRef named) {
        if (who.is(Principal.Kind.PATIENT)) {
            String asked = named.patientId();
            return asked == null || who.id().toString().equals(asked) ? Future.succeededFuture(who.id())
                    : Future.failedFuture(ApiError.of(403, "forbidden", "A patient deposits in their own record only."));
        }
        JsonObject byName = new JsonObject();
        named.addTo(byName);
        return PatientLookup.named(sql, byName, who);
    }

    /**
     * A patient who blocked a professional, or a system or its organisation, receives nothing from them, and their
     * old documents are closed to them.
     */
    private static Future<Void> notBlocking(SqlConnection sql, UUID patient, Principal who) {
        return Blocked.by(sql, patient, who).compose(blocked -> blocked
                ? Future.failedFuture(PatientLookup.notFound()) : Future.succeededFuture());
    }

    /** The document this author already deposited with {@code key}, if any. */
    private static Future<Row> previous(SqlConnection sql, UUID author, String key) {
        if (key == null) {
            return Future.succeededFuture(null);
        }
        return sql.preparedQuery("""
                        SELECT id, patient_id, kind, title_sealed, key_id, care_date, author_id, author_kind, author_name, organisation_id, via_name, format, size,
                               hidden, replaces_id, created_at, request_hmac FROM document
                        WHERE author_id = $1 AND idempotency_key = $2""")
                .execute(Tuple.of(author, key))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    /** The earlier deposit {@code previous} (null if none) to answer again; a key reused for another request is a 409. */
    private Document replayed(Row previous, UUID patient, byte[] fingerprint) {
        if (previous == null) {
            return null;
        }
        if (!patient.equals(previous.getUUID("patient_id"))) {
            throw ApiError.of(409, "idempotency_key_reused",
                    "This idempotency key was used for a document in another patient's record.");
        }
        RequestFingerprints.requireSame(previous.getBuffer("request_hmac"), fingerprint);
        return describe(previous);
    }

    private Future<Row> document(SqlConnection sql, UUID id) {
        return sql.preparedQuery("""
                        SELECT id, patient_id, kind, title_sealed, key_id, care_date, author_id, author_kind, author_name,
                               organisation_id, via_name, format, size, hidden, replaces_id, created_at, opened_at
                        FROM document WHERE id = $1""")
                .execute(Tuple.of(id))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(rows.iterator().next())
                        : Future.failedFuture(ApiError.nothingHere()));
    }

    private Future<Row> ownersDocument(SqlConnection sql, Principal who, UUID id) {
        return document(sql, id).compose(row -> who.is(Principal.Kind.PATIENT) && who.id().equals(row.getUUID("patient_id"))
                ? Future.succeededFuture(row) : Future.failedFuture(ApiError.nothingHere()));
    }

    private static Future<Author> author(SqlConnection sql, Principal who) {
        if (who.is(Principal.Kind.INTEGRATOR)) {
            return Organisations.system(sql, who.id()).map(system -> system
                    .map(found -> new Author(found.organisation().name(), found.organisation().id(), found.name()))
                    .orElse(new Author("", null, null)));
        }
        return Accounts.byId(sql, who.id()).map(account -> new Author(account.map(Account::displayName).orElse(""), null, null));
    }

    private Document describe(Row row) {
        UUID id = row.getUUID("id");
        return new Document(id, DocumentKind.parse(row.getString("kind"), "kind"),
                sealer.openText(row.getBuffer("title_sealed").getBytes(), row.getString("key_id"), "document-title:" + id),
                row.getLocalDate("care_date"), row.getUUID("author_id"), row.getString("author_kind"), row.getString("author_name"),
                row.getUUID("organisation_id"), row.getString("via_name"), row.getString("format"), row.getInteger("size"), row.getBoolean("hidden"), row.getUUID("replaces_id"),
                row.getOffsetDateTime("created_at").toInstant());
    }

    private static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (RuntimeException e) {
            throw ApiError.nothingHere();
        }
    }

}
