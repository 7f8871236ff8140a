package fr.relais.identity.policy;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Names the documents a patient's access history points at, when the patient reads it: the record registers one
 * with {@link CareTeam#nameDocumentsWith}. A title is health data, so the history keeps only the document's id and
 * asks for its title at read time: a document the patient may no longer see (deleted since) gets no title.
 */
@FunctionalInterface
public interface AccessedDocuments {
    /** Nothing named: the history then says "a document" without its title. */
    AccessedDocuments NONE = (patient, ids) -> Future.succeededFuture(Map.of());

    /** The titles of those of {@code documentIds} that are {@code patient}'s and that the patient may see. */
    Future<Map<UUID, String>> titles(UUID patient, Collection<UUID> documentIds);
}
