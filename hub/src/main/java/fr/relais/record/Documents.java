package fr.relais.record;

import fr.relais.principal.Principal;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * The record (a patient's vault of documents) as other code calls it: its REST routes, and features that file
 * into it (messaging files an attachment). Called in-process; every read by someone else goes through the access
 * policy, and a refusal fails the future with the {@code ApiError} the client is answered with.
 */
public interface Documents {
    /** What a deposit must respect here (size, dates): to check a {@link DepositRequest} before depositing it. */
    DepositLimits limits();

    /** A new document, or the one this author already deposited with the request's idempotency key. */
    Future<Deposited> deposit(Principal who, DepositRequest request);

    /**
     * A page of the documents the system {@code who} deposited and what became of them, newest first, leaving out
     * those of patients who blocked it; {@code before} is a page's {@code next} cursor.
     */
    Future<DepositsPage> deposits(Principal who, String before, Integer limit);

    /** A page of the patient's documents that {@code who} may see, newest care date first. */
    Future<DocumentPage> list(Principal who, UUID patient, DocumentQuery query);

    /** The document and its content; hidden documents exist only for the patient and their author. */
    Future<DocumentFile> read(Principal who, UUID document);

    /** The patient hides a document from professionals, or shows it again. */
    Future<Document> hide(Principal who, UUID document, boolean hidden);

    /** The patient deletes a document of their record; a system that deposited it is told. */
    Future<Void> delete(Principal who, UUID document);

    /** A new version by the document's author: the previous one is superseded (no longer listed). */
    Future<Document> replace(Principal who, UUID document, DepositRequest request);
}
