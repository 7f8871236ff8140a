package fr.relais.messaging;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.record.DepositRequest;
import fr.relais.record.Documents;
import fr.relais.record.PatientRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Files an attachment of a patient conversation into that patient's record, through the record's public
 * interface (the record checks, stores and announces it as any deposit; the idempotency key makes filing the
 * same attachment twice create one document, and filing it again as something else a 409 {@code already_filed}).
 */
final class AttachmentFiling {
    private final ConversationPatients patients;
    private final MessagingQueries queries;
    private final Documents record;

    AttachmentFiling(ConversationPatients patients, MessagingQueries queries, Documents record) {
        this.patients = patients;
        this.queries = queries;
        this.record = record;
    }

    /** {@code body}: {kind, title?, careDate}. */
    Future<JsonObject> file(Principal professional, UUID conversationId, UUID attachmentId, JsonObject body) {
        return patients.of(conversationId)
                .compose(patient -> queries.attachment(professional, conversationId, attachmentId).compose(file -> {
                    if (patient.isEmpty()) {
                        return Future.failedFuture(ApiError.badRequest("no_patient",
                                "This conversation has no patient: there is no record to file into."));
                    }
                    DepositRequest deposit = DepositRequest.of(PatientRef.byId(patient.get()),
                            body.getValue("kind"), body.getValue("title", file.filename()), body.getValue("careDate"),
                            file.contentType(), file.content().getBytes(), "attachment:" + attachmentId, record.limits());
                    return record.deposit(professional, deposit).map(filed -> filed.toJson()).recover(failure -> Future.failedFuture(
                            failure instanceof ApiError e && "idempotency_key_reused".equals(e.code())
                                    ? ApiError.of(409, "already_filed", "This file was already filed into the record, "
                                            + "with another kind, date or title.")
                                    : failure));
                }));
    }
}
