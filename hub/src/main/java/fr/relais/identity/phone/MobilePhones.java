package fr.relais.identity.phone;

import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.Tokens;
import fr.relais.identity.account.Accounts;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.sms.PhoneNumbers;
import fr.relais.web.Fields;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * A person's mobile number: registered, proven with a code sent to it by SMS (6 digits, short-lived, a few wrong
 * tries end it), removed; and, once proven, chosen to receive the login codes instead of email. At most
 * {@link #CODES_PER_HOUR} codes per account in a clock hour, whatever numbers they go to, and the outbox limits the
 * verification codes each number receives (category {@code verification}, apart from login codes, which a stranger
 * asking for codes to someone's number cannot hold back), so that the hub cannot be used to text strangers.
 */
public final class MobilePhones {
    static final int CODES_PER_HOUR = 5;

    private final IdentityContext ctx;
    private final PhoneNumbers numbers;

    public MobilePhones(IdentityContext ctx, PhoneNumbers numbers) {
        this.ctx = ctx;
        this.numbers = numbers;
    }

    /** The verified number that login codes go to, if the person chose SMS. */
    public static Future<Optional<String>> loginNumber(SqlClient sql, UUID account) {
        return sql.preparedQuery("""
                        SELECT number FROM account_phone WHERE account_id = $1 AND login_by_sms AND verified_at IS NOT NULL
                        AND number IS NOT NULL""")
                .execute(Tuple.of(account))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("number")));
    }

    public Future<JsonObject> view(UUID account) {
        return ctx.pool().preparedQuery("""
                        SELECT number, verified_at, login_by_sms, code_expires_at FROM account_phone WHERE account_id = $1""")
                .execute(Tuple.of(account))
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    String number = row == null ? null : row.getString("number");
                    JsonObject view = new JsonObject().put("number", number)
                            .put("display", number == null ? null : PhoneNumbers.readable(number))
                            .put("verified", number != null && row.getOffsetDateTime("verified_at") != null)
                            .put("loginCodeBy", row != null && row.getBoolean("login_by_sms") ? "sms" : "email");
                    OffsetDateTime pending = row == null ? null : row.getOffsetDateTime("code_expires_at");
                    return view.put("verificationExpiresAt", number == null || pending == null ? null : pending.toInstant().toString());
                });
    }

    /** Sets the number (unverified until its code comes back) and texts it a code; the same verified number is left as it is. */
    public Future<JsonObject> register(UUID account, JsonObject body, String ip) {
        String number = numbers.mobile("number", Fields.text(body, "number", 1, 40));
        String code = Tokens.digits(6);
        Instant now = ctx.clock().instant();
        Instant expires = now.plus(ctx.auth().otpLifetime());
        UUID sent = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> locked(tx, account).compose(row -> {
                    if (number.equals(row.getString("number")) && row.getOffsetDateTime("verified_at") != null) {
                        return Future.succeededFuture(false);
                    }
                    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
                    boolean sameHour = row.getOffsetDateTime("codes_window") != null
                            && row.getOffsetDateTime("codes_window").toInstant().equals(hour);
                    int codesSent = sameHour ? row.getInteger("codes_sent") : 0;
                    if (codesSent >= CODES_PER_HOUR) {
                        throw ApiError.of(429, "too_many_codes", "Too many codes were sent this hour; try again later.")
                                .retryAfter(Duration.between(now, hour.plus(Duration.ofHours(1))));
                    }
                    return tx.preparedQuery("""
                                    UPDATE account_phone SET number = $2, verified_at = NULL, login_by_sms = false, code_hash = $3,
                                           code_expires_at = $4, code_failures = 0, codes_sent = $5, codes_window = $6
                                    WHERE account_id = $1""")
                            .execute(Tuple.of(account, number, Buffer.buffer(codeHash(account, number, code)), utc(expires),
                                    codesSent + 1, utc(hour)))
                            .compose(v -> ctx.outbox().enqueue(tx, ctx.emails().phoneVerificationSms(number, code)
                                    .outgoing("phone-code:" + sent, account, "verification", Outbox.REQUESTED, now, expires)))
                            .compose(v -> ctx.audit().append(tx, AuditEvent.of("account", account.toString(), "phone.register",
                                    "success").from(ip)))
                            .map(true);
                }))
                .onSuccess(texted -> {
                    if (texted) {
                        ctx.outbox().kick(Channel.SMS);
                    }
                })
                .compose(v -> view(account));
    }

    /** Proves the number with the code it received. A wrong code is counted (committed) before it is refused. */
    public Future<JsonObject> verify(UUID account, JsonObject body, String ip) {
        String code = Fields.text(body, "code", 1, 12);
        if (!code.matches("[0-9]{6}")) {
            throw ApiError.invalidField("code", "The code is the 6 digits the SMS gave.");
        }
        return ctx.pool().withTransaction(tx -> locked(tx, account).compose(row -> {
                    String number = row.getString("number");
                    if (number == null || row.getBuffer("code_hash") == null) {
                        return Future.succeededFuture(ApiError.of(409, "no_pending_verification",
                                "No number waits for its code: give the number first."));
                    }
                    if (row.getInteger("code_failures") >= ctx.auth().otpMaxFailures()) {
                        return Future.succeededFuture(ApiError.of(400, "phone_code_locked",
                                "Too many wrong codes; ask for a new code."));
                    }
                    if (!row.getOffsetDateTime("code_expires_at").toInstant().isAfter(ctx.clock().instant())) {
                        return Future.succeededFuture(ApiError.of(400, "phone_code_expired", "This code has expired; ask for a new code."));
                    }
                    if (!MessageDigest.isEqual(codeHash(account, number, code), row.getBuffer("code_hash").getBytes())) {
                        int failures = row.getInteger("code_failures") + 1;
                        ApiError refusal = failures >= ctx.auth().otpMaxFailures()
                                ? ApiError.of(400, "phone_code_locked", "Too many wrong codes; ask for a new code.")
                                : ApiError.of(400, "phone_code_invalid", "This code is not valid.")
                                        .with("attemptsLeft", ctx.auth().otpMaxFailures() - failures);
                        return tx.preparedQuery("UPDATE account_phone SET code_failures = $2 WHERE account_id = $1")
                                .execute(Tuple.of(account, failures))
                                .compose(v -> ctx.audit().append(tx, AuditEvent.of("account", account.toString(), "phone.verify",
                                        "failure").from(ip)))
                                .map(refusal);
                    }
                    return tx.preparedQuery("""
                                    UPDATE account_phone SET verified_at = $2, code_hash = NULL, code_expires_at = NULL, code_failures = 0
                                    WHERE account_id = $1""")
                            .execute(Tuple.of(account, utc(ctx.clock().instant())))
                            .compose(v -> ctx.audit().append(tx, AuditEvent.of("account", account.toString(), "phone.verify",
                                    "success").from(ip)))
                            .map((ApiError) null);
                }))
                .compose(refusal -> refusal == null ? view(account) : Future.failedFuture(refusal));
    }

    /** Forgets the number; login codes go by email again. */
    public Future<Void> remove(UUID account, String ip) {
        return ctx.pool().withTransaction(tx -> tx.preparedQuery("""
                                UPDATE account_phone SET number = NULL, verified_at = NULL, login_by_sms = false, code_hash = NULL,
                                       code_expires_at = NULL, code_failures = 0
                                WHERE account_id = $1 AND number IS NOT NULL""")
                        .execute(Tuple.of(account))
                        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture()
                                : ctx.audit().append(tx, AuditEvent.of("account", account.toString(), "phone.remove", "success")
                                        .from(ip))))
                .mapEmpty();
    }

    /** Where login codes go: {@code "sms"} (to the verified number only) or {@code "email"}. */
    public Future<JsonObject> chooseLoginCodeChannel(UUID account, JsonObject body, String ip) {
        Object by = body.getValue("by");
        if (!"sms".equals(by) && !"email".equals(by)) {
            throw ApiError.invalidField("by", "by is sms or email.");
        }
        boolean sms = "sms".equals(by);
        return ctx.pool().withTransaction(tx -> tx.preparedQuery("""
                                UPDATE account_phone p SET login_by_sms = $2
                                FROM (SELECT login_by_sms AS was FROM account_phone WHERE account_id = $1 FOR UPDATE) old
                                WHERE p.account_id = $1 AND (NOT $2 OR (p.verified_at IS NOT NULL AND p.number IS NOT NULL))
                                RETURNING old.was""")
                        .execute(Tuple.of(account, sms))
                        .compose(rows -> {
                            boolean switched = rows.size() == 1 && rows.iterator().next().getBoolean("was") != sms;
                            if (sms && rows.rowCount() == 0) {
                                return Future.failedFuture(ApiError.of(409, "phone_not_verified",
                                        "Login codes go by SMS only to a verified mobile number: add and verify one first."));
                            }
                            return ctx.audit().append(tx, AuditEvent.of("account", account.toString(), "login.channel", "success")
                                    .from(ip).detail("by", by))
                                    .compose(v -> sms && switched ? toldBySecurityEmail(tx, account) : Future.succeededFuture(false));
                        }))
                .onSuccess(told -> {
                    if (Boolean.TRUE.equals(told)) {
                        ctx.outbox().kick(Channel.EMAIL);
                    }
                })
                .compose(v -> view(account));
    }

    /**
     * Moving the login codes to a phone is what someone who took over a session would do: the owner's mailbox is told
     * at once (a security email, quiet hours or not), with the number all but two digits hidden.
     */
    private Future<Boolean> toldBySecurityEmail(SqlClient tx, UUID account) {
        return Accounts.byId(tx, account).compose(found -> loginNumber(tx, account).compose(number -> {
            if (found.isEmpty() || number.isEmpty()) {
                return Future.succeededFuture(false);
            }
            Instant now = ctx.clock().instant();
            return ctx.outbox().enqueue(tx, ctx.emails().loginBySms(found.get().email(), PhoneNumbers.masked(number.get()),
                    ctx.publicBaseUrl().get() + "/").outgoing("login-by-sms:" + account + ":" + now.toEpochMilli(), account,
                    "security", Outbox.SECURITY, now));
        }));
    }

    /** The person's row, created if needed, locked for the transaction. */
    private static Future<Row> locked(SqlClient tx, UUID account) {
        return tx.preparedQuery("INSERT INTO account_phone (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING")
                .execute(Tuple.of(account))
                .compose(v -> tx.preparedQuery("""
                                SELECT number, verified_at, code_hash, code_expires_at, code_failures, codes_sent, codes_window
                                FROM account_phone WHERE account_id = $1 FOR UPDATE""")
                        .execute(Tuple.of(account)))
                .map(rows -> rows.iterator().next());
    }

    /** Bound to the account and the number, so that a code proves only the number it was sent to. */
    private byte[] codeHash(UUID account, String number, String code) {
        return ctx.masterKey().keyedHash("phone-code", account + ":" + number + ":" + code);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
