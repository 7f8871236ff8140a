package fr.relais.identity.account;

import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes accounts. Every method takes the client to run on: the pool, or a transaction. */
public final class Accounts {
    private static final String SELECT = """
            SELECT a.id, a.kind, a.email, a.display_name, a.status, a.password_hash,
                   p.ins, pr.rpps, pr.profession, pr.organisation
            FROM account a
            LEFT JOIN patient p ON p.account_id = a.id
            LEFT JOIN professional pr ON pr.account_id = a.id
            """;

    private Accounts() {
    }

    public static Future<Optional<Account>> byId(SqlClient client, UUID id) {
        return one(client, SELECT + "WHERE a.id = $1", Tuple.of(id));
    }

    /** The email address of each of these accounts that is active; others (not activated yet, gone) are left out. */
    public static Future<java.util.Map<UUID, String>> activeEmails(SqlClient client, java.util.List<UUID> ids) {
        return client.preparedQuery("SELECT id, email FROM account WHERE id = ANY($1) AND status = 'active'")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Map<UUID, String> emails = new java.util.HashMap<>();
                    rows.forEach(row -> emails.put(row.getUUID("id"), row.getString("email")));
                    return emails;
                });
    }

    /** The columns {@link #partiesJoin} adds to a listing: {@code professional_name}, {@code profession}, {@code patient_name}. */
    public static final String PARTIES_COLUMNS = "pro.display_name AS professional_name, practice.profession, pat.display_name AS patient_name";

    /**
     * The SQL a feature joins into a listing of what is between a patient and a professional (identity keeps people's
     * names and professions), given the columns that hold their ids.
     */
    public static String partiesJoin(String patientColumn, String professionalColumn) {
        return """
                JOIN account pat ON pat.id = %1$s
                LEFT JOIN account pro ON pro.id = %2$s
                LEFT JOIN professional practice ON practice.account_id = %2$s""".formatted(patientColumn, professionalColumn);
    }

    /** The name of each of these accounts that is still there (a closed space's account is gone). */
    public static Future<java.util.Map<UUID, String>> displayNames(SqlClient client, java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(java.util.Map.of());
        }
        return client.preparedQuery("SELECT id, display_name FROM account WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    java.util.Map<UUID, String> names = new java.util.HashMap<>();
                    rows.forEach(row -> names.put(row.getUUID("id"), row.getString("display_name")));
                    return names;
                });
    }

    /** The next {@code limit} active patients, by id, after {@code after}: for jobs that visit every patient. */
    public static Future<java.util.List<UUID>> activePatientsAfter(SqlClient client, UUID after, int limit) {
        return client.preparedQuery("""
                        SELECT p.account_id FROM patient p JOIN account a ON a.id = p.account_id
                        WHERE a.status = 'active' AND p.account_id > $1 ORDER BY p.account_id LIMIT $2""")
                .execute(Tuple.of(after, limit))
                .map(rows -> {
                    java.util.List<UUID> page = new java.util.ArrayList<>();
                    rows.forEach(row -> page.add(row.getUUID("account_id")));
                    return page;
                });
    }

    public static Future<Optional<Account>> byEmail(SqlClient client, String email) {
        return one(client, SELECT + "WHERE lower(a.email) = lower($1)", Tuple.of(email));
    }

    public static Future<Optional<Account>> byRpps(SqlClient client, String rpps) {
        return one(client, SELECT + "WHERE pr.rpps = $1", Tuple.of(rpps));
    }

    public static Future<Optional<Account>> patientByIns(SqlClient client, String ins) {
        return one(client, SELECT + "WHERE p.ins = $1", Tuple.of(ins));
    }

    public static Future<Void> insertAccount(SqlClient tx, UUID id, Principal.Kind kind, String email, String displayName) {
        return tx.preparedQuery("INSERT INTO account (id, kind, email, display_name) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, kind.wireName(), email, displayName))
                .mapEmpty();
    }

    public static Future<Void> insertPatient(SqlClient tx, UUID id, String ins, String phone, UUID representative) {
        return tx.preparedQuery("INSERT INTO patient (account_id, ins, phone, representative_id) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, ins, phone, representative))
                .mapEmpty();
    }

    public static Future<Void> insertProfessional(SqlClient tx, UUID id, String rpps, Profession profession, String organisation) {
        return tx.preparedQuery("INSERT INTO professional (account_id, rpps, profession, organisation) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(id, rpps, profession.wireName(), organisation))
                .mapEmpty();
    }

    public static Future<Void> activate(SqlClient tx, UUID id, String passwordHash) {
        return tx.preparedQuery("UPDATE account SET password_hash = $2, status = 'active', activated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, passwordHash))
                .mapEmpty();
    }

    /**
     * The rate-limit counter of failed logins to one email address; its counters per client address start with it and
     * a space (no email holds one). All are deleted with the account.
     */
    public static String loginRateKey(String email) {
        return "login:account:" + email.toLowerCase(java.util.Locale.ROOT);
    }

    /** The rate-limit counter of failed logins to one email address from one client address. */
    public static String loginRateKey(String email, String ip) {
        return loginRateKey(email) + " from " + ip;
    }

    /** Deletes an account and, through the foreign keys, everything that belongs to it. */
    public static Future<Void> delete(SqlClient tx, UUID id) {
        return tx.preparedQuery("DELETE FROM account WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    private static Future<Optional<Account>> one(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
        });
    }

    private static Account map(Row row) {
        String profession = row.getString("profession");
        return new Account(row.getUUID("id"), Principal.Kind.fromWire(row.getString("kind")), row.getString("email"),
                row.getString("display_name"), row.getString("status"), row.getString("password_hash"),
                row.getString("ins"), row.getString("rpps"),
                profession == null ? null : Profession.parse(profession, "profession"), row.getString("organisation"));
    }
}
