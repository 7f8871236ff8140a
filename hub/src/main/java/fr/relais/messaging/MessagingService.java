package fr.relais.messaging;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.command.RequestFingerprints;
import fr.relais.config.MessagingConfig;
import fr.relais.error.ApiError;
import fr.relais.identity.policy.Blocked;
import fr.relais.identity.policy.CareTeam;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.stream.StreamTransaction;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of secure messaging. Only professionals start conversations (with one patient they treat, or with
 * colleagues); a closed conversation takes no more messages; a patient who blocked a professional receives
 * nothing from them; someone who is not a participant learns nothing (404). Every write and the events it causes
 * (for each participant's stream) commit together. Events carry ids and counts, never a subject or a body: those
 * stay encrypted at rest and are read through the API.
 */
public final class MessagingService {
    /** The outcome of a send: the message, and whether it had already been sent with the same idempotency key. */
    public record Sent(JsonObject message, boolean replayed) {
    }

    private final Streams streams;
    private final Sealer crypto;
    private final MessagingConfig limits;
    private final AuditLog audit;
    private final RequestFingerprints fingerprints;
    private final ConversationPatients patients;

    MessagingService(Streams streams, Sealer crypto, MessagingConfig limits, AuditLog audit, RequestFingerprints fingerprints,
                     ConversationPatients patients) {
        this.streams = streams;
        this.patients = patients;
        this.crypto = crypto;
        this.limits = limits;
        this.audit = audit;
        this.fingerprints = fingerprints;
    }

    public Future<Sent> startConversation(Principal who, JsonObject body, String headerKey) {
        if (!who.is(Principal.Kind.PROFESSIONAL)) {
            return Future.failedFuture(who.is(Principal.Kind.PATIENT)
                    ? ApiError.of(403, "patients_cannot_start", "Only a professional can start a conversation; reply in one instead.")
                    : ApiError.of(403, "forbidden", "Only professionals start conversations."));
        }
        String subject = body.getValue("subject") instanceof String s && !s.isBlank() && s.length() <= limits.maxSubjectLength()
                ? s.strip() : null;
        if (subject == null) {
            throw ApiError.invalidField("subject", "A subject has 1 to " + limits.maxSubjectLength() + " characters.");
        }
        Set<UUID> others = participants(body, who.id());
        JsonObject first = body.getValue("message") instanceof JsonObject m ? m : null;
        if (first == null) {
            throw ApiError.invalidField("message", "A conversation starts with a message.");
        }
        MessageInput input = MessageInput.parse(first, headerKey, limits);
        byte[] fingerprint = fingerprints.of(who.id(), "conversation.start", body);
        return streams.withTransaction(tx -> replayOf(tx.sql(), who.id(), input.idempotencyKey(), fingerprint, null).compose(previous -> {
            if (previous != null) {
                return withAttachments(previous).map(message -> new Sent(message, true));
            }
            return tx.sql().preparedQuery("SELECT id, kind, display_name FROM account WHERE id = ANY($1)")
                    .execute(Tuple.of(others.toArray(UUID[]::new)))
                    .compose(rows -> checkedRecipients(tx.sql(), who.id(), who.via(), others, rows))
                    .compose(patient -> createConversation(tx, who, subject, others, patient, input, fingerprint));
        }));
    }

    /**
     * Sends a message into a conversation. Without attachments it is one statement, committed alone (one round
     * trip); attachments are written with it in one transaction.
     */
    public Future<Sent> send(Principal who, UUID conversationId, MessageInput input) {
        byte[] fingerprint = fingerprints.of(who.id(), "message.send", input.request().copy()
                .put("conversationId", conversationId.toString()));
        return auditOfSend(who, conversationId).compose(auditRow -> {
            if (!input.attachments().isEmpty()) {
                return streams.withTransaction(tx -> insertMessage(tx, conversationId, who, input, fingerprint, auditRow));
            }
            UUID messageId = UUID.randomUUID();
            byte[] body = crypto.seal(input.body(), "message:" + messageId);
            return streams.writeAlone(pool -> MessageWrite.send(pool, conversationId, who.id(), messageId, body, crypto.keyId(),
                            input.idempotencyKey(), fingerprint, streams.eventTime(), auditRow, who.via()), MessageWrite.Outcome::outboxIds)
                    .recover(MessagingService::cutOffMeanwhile)
                    .compose(outcome -> sent(outcome, conversationId, who, messageId, fingerprint, new JsonArray()));
        });
    }

    /** A professional's message to a patient is audited (a new conversation's first one is, with the conversation). */
    private Future<AuditLog.PendingRow> auditOfSend(Principal sender, UUID conversationId) {
        if (!sender.is(Principal.Kind.PROFESSIONAL)) {
            return Future.succeededFuture(null);
        }
        return patients.of(conversationId).map(patient -> patient.map(id -> audit.prepare(via(AuditEvent.of("professional",
                sender.id().toString(), "message.send", "success").patient(id).detail("conversation", conversationId.toString()),
                sender))).orElse(null));
    }

    private static AuditEvent via(AuditEvent event, Principal sender) {
        return sender.via() == null ? event : event.detail("via", sender.via().systemId().toString());
    }

    /** The statement refused itself: the sender was cut off (blocked) while it waited for the conversation. */
    private static Future<MessageWrite.Outcome> cutOffMeanwhile(Throwable failure) {
        return Future.failedFuture(failure instanceof PgException pg && MessageWrite.REFUSED.equals(pg.getSqlState())
                ? ApiError.nothingHere() : failure);
    }

    public Future<JsonObject> close(Principal who, UUID conversationId) {
        boolean professional = who.is(Principal.Kind.PROFESSIONAL);
        return streams.writeAlone(pool -> ConversationMarks.close(pool, conversationId, who.id(), professional,
                        streams.eventTime()), ConversationMarks.Closing::outboxIds)
                .compose(closing -> {
                    if (closing.state() == null) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    if (!professional) {
                        return Future.failedFuture(ApiError.of(403, "forbidden", "Only a professional closes a conversation."));
                    }
                    return Future.succeededFuture(new JsonObject().put("id", conversationId.toString()).put("state", "closed"));
                });
    }

    /** Marks messages up to {@code upTo} read; the other participants see the receipt live. */
    public Future<JsonObject> markRead(Principal who, UUID conversationId, long upTo) {
        return streams.writeAlone(pool -> ConversationMarks.read(pool, conversationId, who.id(), upTo, streams.eventTime()),
                        ConversationMarks.Read::outboxIds)
                .compose(read -> {
                    if (!read.participant()) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    if (upTo < 1 || upTo > read.messageCount()) {
                        return Future.failedFuture(ApiError.invalidField("upTo",
                                "upTo must be a message number from 1 to " + read.messageCount() + "."));
                    }
                    return (read.outboxIds().isEmpty()
                            ? ConversationMarks.current(streams.pool(), conversationId, who.id(), read.messageCount())
                            : Future.succeededFuture(read))
                            .compose(now -> now == null ? Future.failedFuture(ApiError.nothingHere())
                                    : Future.succeededFuture(new JsonObject().put("conversationId", conversationId.toString())
                                            .put("upTo", upTo).put("unread", new JsonObject().put("conversation", now.unreadHere())
                                                    .put("total", now.unreadTotal()))));
                });
    }

    /**
     * The message this sender already sent with {@code key}, or null; a 409 if that was another request, or went to
     * another conversation than {@code conversationId} (when given: keys stored before fingerprints have none).
     */
    private Future<JsonObject> replayOf(SqlConnection sql, UUID sender, String key, byte[] fingerprint, UUID conversationId) {
        if (key == null) {
            return Future.succeededFuture(null);
        }
        return sql.preparedQuery("""
                        SELECT id, conversation_id, seq, created_at, request_hmac, via_name FROM message
                        WHERE sender_id = $1 AND idempotency_key = $2""")
                .execute(Tuple.of(sender, key))
                .map(rows -> rows.size() == 0 ? null : replayed(rows.iterator().next(), sender, conversationId, fingerprint));
    }

    /** A message sent before, as its first answer gave it: with its attachments. */
    private Future<JsonObject> withAttachments(JsonObject message) {
        return AttachmentList.read(streams.pool(), UUID.fromString(message.getString("id")), crypto)
                .map(attachments -> message.put("attachments", attachments));
    }

    /** The answer to a retry of {@code previous}: its summary, or a 409 if the retry is another request. */
    private static JsonObject replayed(Row previous, UUID sender, UUID conversationId, byte[] fingerprint) {
        UUID sentTo = previous.getUUID(previous.getColumnIndex("previous_conversation") >= 0 ? "previous_conversation" : "conversation_id");
        if (conversationId != null && !conversationId.equals(sentTo)) {
            throw ApiError.of(409, "idempotency_key_reused", "This idempotency key was used for a message in another conversation.");
        }
        boolean renamed = previous.getColumnIndex("previous_id") >= 0;
        RequestFingerprints.requireSame(previous.getBuffer(renamed ? "previous_hmac" : "request_hmac"), fingerprint);
        JsonObject message = new JsonObject().put("id", previous.getUUID(renamed ? "previous_id" : "id").toString())
                .put("conversationId", sentTo.toString())
                .put("seq", previous.getLong(renamed ? "previous_seq" : "seq")).put("senderId", sender.toString())
                .put("createdAt", previous.getOffsetDateTime(renamed ? "previous_created_at" : "created_at").toInstant().toString());
        String via = previous.getString(renamed ? "previous_via" : "via_name");
        return via == null ? message : message.put("via", via);
    }

    private Set<UUID> participants(JsonObject body, UUID creator) {
        if (!(body.getValue("participants") instanceof JsonArray array) || array.isEmpty()
                || array.size() >= limits.maxParticipants()) {
            throw ApiError.invalidField("participants", "Name 1 to " + (limits.maxParticipants() - 1) + " other participants.");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (Object value : array) {
            try {
                ids.add(UUID.fromString(String.valueOf(value)));
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidField("participants", "Participants are account ids.");
            }
        }
        ids.remove(creator);
        if (ids.isEmpty()) {
            throw ApiError.invalidField("participants", "Name at least one other participant.");
        }
        return ids;
    }

    /** Checks who the recipients are; returns the patient among them, or null for professionals only. */
    private Future<UUID> checkedRecipients(SqlConnection sql, UUID creator, Principal.Via via, Set<UUID> others, Iterable<Row> rows) {
        List<UUID> patients = new ArrayList<>();
        int found = 0;
        for (Row row : rows) {
            found++;
            switch (row.getString("kind")) {
                case "patient" -> patients.add(row.getUUID("id"));
                case "professional" -> { }
                default -> {
                    return Future.failedFuture(recipientNotFound());
                }
            }
        }
        if (found != others.size()) {
            return Future.failedFuture(recipientNotFound());
        }
        if (patients.size() > 1) {
            return Future.failedFuture(ApiError.invalidField("participants", "A conversation includes at most one patient."));
        }
        if (patients.isEmpty()) {
            return Future.succeededFuture(null);
        }
        UUID patient = patients.get(0);
        List<UUID> professionals = new ArrayList<>(others);
        professionals.remove(patient);
        professionals.add(creator);
        Future<Boolean> systemBlocked = via == null ? Future.succeededFuture(false)
                : Blocked.of(sql, patient, Principal.Kind.INTEGRATOR, via.systemId());
        return CareTeam.treating(sql, patient, professionals).compose(treating -> systemBlocked.compose(blocked -> {
            if (!treating.contains(creator) || blocked) {
                return Future.failedFuture(recipientNotFound()); // a patient one does not treat is not revealed
            }
            return treating.containsAll(professionals) ? Future.succeededFuture(patient)
                    : Future.failedFuture(recipientUnavailable());
        }));
    }

    private Future<Sent> createConversation(StreamTransaction tx, Principal creator, String subject, Set<UUID> others,
                                            UUID patient, MessageInput input, byte[] fingerprint) {
        UUID id = UUID.randomUUID();
        List<UUID> everyone = new ArrayList<>();
        everyone.add(creator.id());
        everyone.addAll(others);
        return tx.sql().preparedQuery("""
                        INSERT INTO conversation (id, subject_sealed, key_id, created_by, with_patient) VALUES ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(id, Buffer.buffer(crypto.seal(subject, "conversation:" + id)), crypto.keyId(), creator.id(),
                        patient != null))
                .compose(v -> tx.sql().preparedQuery("""
                                INSERT INTO conversation_participant (conversation_id, account_id, role) VALUES ($1, $2, $3)""")
                        .executeBatch(everyone.stream().map(account -> Tuple.of(id, account,
                                account.equals(patient) ? "patient" : "professional")).toList()))
                .compose(v -> patient == null ? Future.succeededFuture()
                        : audit.append(tx.sql(), via(AuditEvent.of("professional", creator.id().toString(), "conversation.start",
                                "success").patient(patient).detail("conversation", id.toString()), creator)))
                .compose(v -> tx.appendToEach(everyone, "conversation.created", recipient -> new JsonObject()
                        .put("conversationId", id.toString()).put("createdBy", creator.id().toString())
                        .put("withPatient", patient != null)))
                .compose(v -> insertMessage(tx, id, creator, input, fingerprint, null))
                .map(sent -> new Sent(sent.message().put("conversationId", id.toString()), false));
    }

    /**
     * Writes the message and its events within {@code tx}, with its attachments; {@code auditRow} is kept with it
     * (null for none: a new conversation's first message is audited with the conversation).
     */
    private Future<Sent> insertMessage(StreamTransaction tx, UUID conversationId, Principal sender, MessageInput input,
                                       byte[] fingerprint, AuditLog.PendingRow auditRow) {
        UUID messageId = UUID.randomUUID();
        byte[] body = crypto.seal(input.body(), "message:" + messageId);
        tx.writeAddedNow(); // a new conversation's conversation.created comes before its first message.created
        return MessageWrite.send(tx.sql(), conversationId, sender.id(), messageId, body, crypto.keyId(), input.idempotencyKey(),
                fingerprint, streams.eventTime(), auditRow, sender.via()).recover(MessagingService::cutOffMeanwhile).compose(outcome -> {
            tx.written(outcome.outboxIds());
            JsonArray attachments = outcome.written() ? insertAttachments(tx, conversationId, messageId, input.attachments())
                    : new JsonArray();
            return sent(outcome, conversationId, sender, messageId, fingerprint, attachments);
        });
    }

    /**
     * The answer to a send, from what its statement found: the message written, the one sent before with the same
     * key, or why nothing was written. The participant check comes first: a retry by someone cut off since is
     * refused like any other send.
     */
    private Future<Sent> sent(MessageWrite.Outcome outcome, UUID conversationId, Principal sender, UUID messageId,
                              byte[] fingerprint, JsonArray attachments) {
        if (outcome.state() == null) {
            return Future.failedFuture(ApiError.nothingHere());
        }
        if (outcome.previous() != null) {
            JsonObject previous = replayed(outcome.previous(), sender.id(), conversationId, fingerprint);
            return withAttachments(previous).map(message -> new Sent(message, true));
        }
        if (!outcome.written()) {
            return Future.failedFuture(ApiError.of(409, "conversation_closed",
                    "This conversation was closed by the professional; no message can be added."));
        }
        JsonObject message = new JsonObject().put("id", messageId.toString()).put("conversationId", conversationId.toString())
                .put("seq", outcome.seq()).put("senderId", sender.id().toString())
                .put("createdAt", outcome.createdAt().toInstant().toString());
        if (sender.via() != null) {
            message.put("via", sender.via().systemName());
        }
        return Future.succeededFuture(new Sent(message.put("attachments", attachments), false));
    }

    /** The attachments' rows, sent at once (not waited for); what the answer says of them. */
    private JsonArray insertAttachments(StreamTransaction tx, UUID conversationId, UUID messageId, List<AttachmentInput> files) {
        JsonArray described = new JsonArray();
        if (files.isEmpty()) {
            return described;
        }
        List<Tuple> rows = new ArrayList<>();
        for (AttachmentInput file : files) {
            UUID id = UUID.randomUUID();
            rows.add(Tuple.of(id, messageId, conversationId, Buffer.buffer(crypto.seal(file.filename(), "attachment-name:" + id)),
                    file.contentType(), file.content().length, Buffer.buffer(file.sha256()),
                    Buffer.buffer(crypto.seal(file.content(), "attachment:" + id)), crypto.keyId()));
            described.add(new JsonObject().put("id", id.toString()).put("filename", file.filename())
                    .put("contentType", file.contentType()).put("size", file.content().length));
        }
        tx.sendWithCommit(tx.sql().preparedQuery("""
                        INSERT INTO attachment (id, message_id, conversation_id, filename_sealed, content_type, size, sha256,
                                                content_sealed, key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
                .executeBatch(rows));
        return described;
    }

    private static ApiError recipientNotFound() {
        return ApiError.notFound("recipient_not_found", "A participant is unknown, or not a patient you treat.");
    }

    private static ApiError recipientUnavailable() {
        return ApiError.of(403, "recipient_unavailable", "This patient does not count you, or another participant, in their care team.");
    }

}
