package fr.relais.identity.policy;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;

/**
 * A feature that must follow, in the same transaction, whether a professional is in a patient's care: a
 * relationship begins (declared or accepted by the patient) or ends (ended by the patient, or by a block).
 */
@FunctionalInterface
public interface CareListener {
    Future<Void> careChanged(SqlClient tx, UUID patient, UUID professional, boolean inCare);
}
