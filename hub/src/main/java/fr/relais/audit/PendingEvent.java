package fr.relais.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event as {@link AuditLog} appended it, waiting in {@code audit_pending} for the {@link AuditChainer}: already
 * pseudonymised, with the time it happened and the MAC its {@link PendingSeal} gave it.
 */
record PendingEvent(UUID id, Instant at, AuditEvent event, byte[] mac) {
    /** The columns both readers select, in this order. */
    static final String COLUMNS = "id, at, actor_kind, actor_id, action, outcome, patient_id, ip, details, mac";

    static PendingEvent from(Row row) {
        return new PendingEvent(row.getUUID("id"), row.getOffsetDateTime("at").toInstant(),
                new AuditEvent(row.getString("actor_kind"), row.getString("actor_id"), row.getString("action"),
                        row.getString("outcome"), row.getUUID("patient_id"), row.getString("ip"), row.getJsonObject("details")),
                row.getBuffer("mac").getBytes());
    }

    /** From a JDBC row of {@link #COLUMNS} (details read as text). */
    static PendingEvent from(ResultSet rs) throws SQLException {
        return new PendingEvent(rs.getObject("id", UUID.class), rs.getObject("at", OffsetDateTime.class).toInstant(),
                new AuditEvent(rs.getString("actor_kind"), rs.getString("actor_id"), rs.getString("action"),
                        rs.getString("outcome"), AuditChain.uuidOrNull(rs.getObject("patient_id")), rs.getString("ip"),
                        new JsonObject(rs.getString("details"))),
                rs.getBytes("mac"));
    }
}
