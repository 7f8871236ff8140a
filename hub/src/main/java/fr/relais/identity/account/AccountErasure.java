package fr.relais.identity.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Collection;
import java.util.UUID;

/**
 * What a feature deletes when a space is closed that no foreign key to the account can reach (a conversation
 * belongs to all its participants, not to one account). It runs in the closing transaction, before the account
 * is deleted, so the rows still say who was who. It answers the people whose streams may hold events that name
 * the account: the account's id is taken out of them last, with the account's own stream. A feature may also tell
 * systems to stop sending here (events without the patient's identity: ids the system already holds).
 *
 * <p>{@code opposed}: the patient refused the space at activation rather than closing it.
 */
@FunctionalInterface
public interface AccountErasure {
    Future<Collection<UUID>> erase(SqlClient tx, UUID account, boolean opposed);
}
