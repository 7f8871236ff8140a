package fr.relais.identity.account;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.web.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The organisations integrators belong to: a hospital, a laboratory, a practice software vendor or the publisher
 * of a catalogue app, with its FINESS number (health establishments) or SIRET number (companies) where it has one.
 */
public final class Organisations {
    public static final Set<String> KINDS = Set.of("hospital", "laboratory", "software_vendor", "catalogue_app");
    /** Nine characters: the département (two digits, or 2A/2B for Corsica), then seven digits. */
    private static final Pattern FINESS = Pattern.compile("(\\d{2}|2A|2B)\\d{7}");
    private static final Pattern SIRET = Pattern.compile("\\d{14}");
    /** La Poste's establishments share this SIREN, and their SIRET follow a rule of their own. */
    private static final String LA_POSTE = "356000000";

    /** An organisation as the API shows it. */
    public record Organisation(UUID id, String kind, String name, String finess, String siret) {
        public JsonObject toJson() {
            return new JsonObject().put("id", id.toString()).put("kind", kind).put("name", name)
                    .put("finess", finess).put("siret", siret);
        }
    }

    /** The system acting: an integrator, its name, and the organisation it belongs to. */
    public record ActingSystem(UUID id, String name, Organisation organisation) {
    }

    private final Pool pool;
    private final AuditLog audit;

    public Organisations(Pool pool, AuditLog audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** Registers an organisation ({@code kind}, {@code name}, optional {@code finess} and {@code siret}). */
    public Future<Organisation> add(String admin, JsonObject body) {
        String kind = body.getValue("kind") instanceof String k && KINDS.contains(k) ? k : null;
        if (kind == null) {
            throw ApiError.invalidField("kind", "kind is one of " + String.join(", ", KINDS.stream().sorted().toList()) + ".");
        }
        String name = Fields.text(body, "name", 1, 200).strip();
        String finess = Fields.optionalText(body, "finess", 9);
        if (finess != null && !FINESS.matcher(finess).matches()) {
            throw ApiError.invalidField("finess", "A FINESS number has nine characters: the département (2A and 2B for Corsica), then digits.");
        }
        String siret = Fields.optionalText(body, "siret", 14);
        if (siret != null && !validSiret(siret)) {
            throw ApiError.invalidField("siret", "A SIRET number has fourteen digits and a valid check digit.");
        }
        Organisation organisation = new Organisation(UUID.randomUUID(), kind, name, finess, siret);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO organisation (id, kind, name, finess, siret) VALUES ($1, $2, $3, $4, $5)")
                        .execute(Tuple.of(organisation.id(), kind, name, finess, siret))
                        .compose(v -> audit.append(tx, AuditEvent.of("admin", admin, "organisation.create", "success")
                                .detail("organisation", organisation.id().toString()))))
                .recover(failure -> Future.failedFuture(failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? ApiError.of(409, "organisation_exists", "An organisation with this FINESS or SIRET number is registered already.")
                        : failure))
                .map(organisation);
    }

    public Future<JsonArray> list() {
        return pool.query("SELECT id, kind, name, finess, siret FROM organisation ORDER BY name, id").execute()
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(organisation(row).toJson()));
                    return list;
                });
    }

    public static Future<Optional<Organisation>> byId(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT id, kind, name, finess, siret FROM organisation WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(organisation(rows.iterator().next())));
    }

    /** The integrator {@code id} and its organisation, or empty if it is gone. */
    public static Future<Optional<ActingSystem>> system(SqlClient sql, UUID id) {
        return sql.preparedQuery("""
                        SELECT i.id AS integrator_id, i.name AS integrator_name, o.id, o.kind, o.name, o.finess, o.siret
                        FROM integrator i JOIN organisation o ON o.id = i.organisation_id WHERE i.id = $1""")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new ActingSystem(row.getUUID("integrator_id"), row.getString("integrator_name"), organisation(row)));
                });
    }

    private static Organisation organisation(Row row) {
        return new Organisation(row.getUUID("id"), row.getString("kind"), row.getString("name"), row.getString("finess"),
                row.getString("siret"));
    }

    /**
     * Luhn over the fourteen digits; La Poste's establishments may instead have digits summing to a multiple of 5
     * (its head office follows Luhn).
     */
    static boolean validSiret(String siret) {
        if (!SIRET.matcher(siret).matches()) {
            return false;
        }
        if (siret.startsWith(LA_POSTE) && siret.chars().map(c -> c - '0').sum() % 5 == 0) {
            return true;
        }
        int sum = 0;
        for (int i = 0; i < 14; i++) {
            int digit = siret.charAt(13 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
