package fr.relais.identity.policy;

import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Whether a patient blocked a writer: a professional (their block), or a system (its own block or its
 * organisation's). Nobody else can be blocked. One rule, as SQL for a feature's statement or as a query of its own.
 */
public final class Blocked {
    private Blocked() {
    }

    /**
     * SQL that is true when the patient in {@code patient} (SQL naming them) blocked the writer of {@code kind}
     * whose id is {@code actor} (a parameter, {@code $n}, always referred to so that its type is known).
     */
    public static String sql(Principal.Kind kind, String patient, String actor) {
        return switch (kind) {
            case PROFESSIONAL -> "EXISTS (SELECT 1 FROM professional_block b WHERE b.patient_id = " + patient
                    + " AND b.professional_id = " + actor + ")";
            case INTEGRATOR -> SystemBlocks.blockedSql(patient, actor);
            default -> "(" + actor + "::uuid IS NOT NULL AND false)";
        };
    }

    /** Whether {@code patient} blocked the writer of {@code kind} whose id is {@code actor}. */
    public static Future<Boolean> of(SqlClient sql, UUID patient, Principal.Kind kind, UUID actor) {
        if (kind != Principal.Kind.PROFESSIONAL && kind != Principal.Kind.INTEGRATOR) {
            return Future.succeededFuture(false);
        }
        return sql.preparedQuery("SELECT " + sql(kind, "$1", "$2") + " AS blocked").execute(Tuple.of(patient, actor))
                .map(rows -> rows.iterator().next().getBoolean("blocked"));
    }

    /** Whether {@code patient} blocked {@code who}. */
    public static Future<Boolean> by(SqlClient sql, UUID patient, Principal who) {
        return of(sql, patient, who.kind(), who.id());
    }
}
