package fr.relais.identity.login;

import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.Tokens;
import fr.relais.identity.account.Account;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.phone.MobilePhones;
import fr.relais.identity.session.Sessions;
import fr.relais.identity.token.AccessTokens;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.principal.Principal;
import fr.relais.sms.PhoneNumbers;
import fr.relais.web.Fields;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Login for people: a password, then a one-time code sent at every login, by email or, if the person chose so, by
 * SMS to their verified mobile number (6 digits, short-lived,
 * single use, a few wrong tries kill the attempt). An unknown email and a wrong password get the same answer
 * after the same work. Failed attempts are limited by {@link LoginThrottle}.
 */
public final class LoginService {
    private final IdentityContext ctx;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final LoginThrottle throttle;

    public LoginService(IdentityContext ctx, Sessions sessions, AccessTokens tokens) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.tokens = tokens;
        this.throttle = new LoginThrottle(ctx.vertx(), ctx.rateLimiter(), ctx.auth().rateLimit());
    }

    /** Checks the password and emails a code; returns the challenge to answer with it. */
    public Future<JsonObject> start(JsonObject body, String ip) {
        String email = Fields.text(body, "email", 1, 320).toLowerCase(Locale.ROOT);
        String password = Fields.text(body, "password", 1, 256);
        Object delivery = body.getValue("delivery");
        if (delivery != null && !"email".equals(delivery) && !"sms".equals(delivery)) {
            throw ApiError.invalidField("delivery", "delivery is sms or email: where the code goes, this time.");
        }
        return throttle.password(ip, email).compose(attempt -> Accounts.byEmail(ctx.pool(), email)
                .compose(found -> {
                    Optional<Account> usable = found.filter(Account::active);
                    return ctx.hashing().verify(password, usable.map(Account::passwordHash).orElse(null))
                            .compose(ok -> ok ? challenge(usable.get(), ip, (String) delivery).compose(c -> throttle.succeeded(attempt).map(c))
                                    : refused(found, ip));
                }));
    }

    /** Trades the emailed code for tokens. */
    public Future<TokenPair> verify(JsonObject body, String ip) {
        UUID challengeId = Fields.uuid(body, "challengeId");
        String code = Fields.text(body, "code", 1, 12);
        if (!code.matches("[0-9]{6}")) {
            throw ApiError.invalidField("code", "The code is the 6 digits the email or the SMS gave.");
        }
        return throttle.code(ip, challengeId).compose(attempt -> ctx.pool().withTransaction(tx -> tx.preparedQuery("""
                                SELECT account_id, code_hash, expires_at, failures, consumed_at
                                FROM login_challenge WHERE id = $1 FOR UPDATE""")
                        .execute(Tuple.of(challengeId))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.succeededFuture(Outcome.failed(otpError("otp_invalid", "This code is not valid.")));
                            }
                            Row row = rows.iterator().next();
                            UUID accountId = row.getUUID("account_id");
                            if (row.getOffsetDateTime("consumed_at") != null) {
                                return Future.succeededFuture(Outcome.failed(otpError("otp_used", "This code was already used; log in again.")));
                            }
                            if (row.getInteger("failures") >= ctx.auth().otpMaxFailures()) {
                                return Future.succeededFuture(Outcome.failed(otpError("otp_locked", "Too many wrong codes; log in again.")));
                            }
                            if (row.getOffsetDateTime("expires_at").isBefore(OffsetDateTime.now(ctx.clock()))) {
                                return Future.succeededFuture(Outcome.failed(otpError("otp_expired", "This code has expired; log in again.")));
                            }
                            if (!MessageDigest.isEqual(codeHash(challengeId, code), row.getBuffer("code_hash").getBytes())) {
                                int failures = row.getInteger("failures") + 1;
                                ApiError error = failures >= ctx.auth().otpMaxFailures()
                                        ? otpError("otp_locked", "Too many wrong codes; log in again.")
                                        : otpError("otp_invalid", "This code is not valid.").with("attemptsLeft",
                                                ctx.auth().otpMaxFailures() - failures);
                                return tx.preparedQuery("UPDATE login_challenge SET failures = $2 WHERE id = $1")
                                        .execute(Tuple.of(challengeId, failures))
                                        .compose(u -> ctx.audit().append(tx, AuditEvent.of("account", accountId.toString(),
                                                "login.code", "failure").from(ip)))
                                        .map(u -> Outcome.failed(error)); // commit the failure count, then refuse
                            }
                            UUID sessionId = UUID.randomUUID();
                            return tx.preparedQuery("UPDATE login_challenge SET consumed_at = now() WHERE id = $1")
                                    .execute(Tuple.of(challengeId))
                                    .compose(u -> sessions.openForAccount(tx, sessionId, accountId))
                                    .compose(refresh -> ctx.audit().append(tx, AuditEvent.of("account", accountId.toString(),
                                                    "login", "success").from(ip).detail("session", sessionId.toString()))
                                            .compose(u -> Accounts.byId(tx, accountId))
                                            .map(account -> Outcome.ok(pair(account.orElseThrow(), sessionId, refresh))));
                        }))
                .compose(outcome -> outcome.error() == null ? throttle.succeeded(attempt).map(outcome) : Future.succeededFuture(outcome)))
                .compose(Outcome::toFuture);
    }

    /** A new access token and refresh token for a refresh token; reuse ends the session. */
    public Future<TokenPair> refresh(JsonObject body, String ip) {
        String refreshToken = Fields.text(body, "refreshToken", 10, 200);
        return sessions.refresh(refreshToken)
                .recover(failure -> {
                    if (failure instanceof ApiError error && error.code().equals("refresh_reused")) {
                        return ctx.audit().append(AuditEvent.of("anonymous", null, "token.refresh_reuse", "denied").from(ip))
                                .transform(v -> Future.failedFuture(failure));
                    }
                    return Future.failedFuture(failure);
                })
                .compose(refreshed -> Accounts.byId(ctx.pool(), refreshed.accountId().orElseThrow())
                        .map(account -> pair(account.orElseThrow(() -> ApiError.of(401, "refresh_invalid",
                                "The account no longer exists.")), refreshed.sessionId(), refreshed.refreshToken())));
    }

    public Future<Void> logout(Principal principal, String ip) {
        return sessions.revoke(principal.sessionId(), "logout")
                .compose(v -> ctx.audit().append(AuditEvent.of(principal.kind().wireName(), principal.id().toString(),
                        "logout", "success").from(ip)));
    }

    /** Tokens for a person whose identity was proven elsewhere (an external identity provider). */
    public Future<TokenPair> openSession(Account account, String how, String ip) {
        UUID sessionId = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> sessions.openForAccount(tx, sessionId, account.id())
                        .compose(refresh -> ctx.audit().append(tx, AuditEvent.of("account", account.id().toString(),
                                "login." + how, "success").from(ip).detail("session", sessionId.toString())).map(refresh)))
                .map(refresh -> pair(account, sessionId, refresh));
    }

    private TokenPair pair(Account account, UUID sessionId, String refreshToken) {
        Principal principal = new Principal(account.id(), account.kind(), sessionId, Set.of(), account.profession());
        return new TokenPair(tokens.issue(principal), tokens.lifetime(), refreshToken, account.toJson());
    }

    /**
     * A new challenge, its code sent by SMS to the person's verified number if they chose so (unless this login asks
     * for {@code email}), by email otherwise.
     */
    private Future<JsonObject> challenge(Account account, String ip, String asked) {
        UUID id = UUID.randomUUID();
        String code = Tokens.digits(6);
        Instant now = ctx.clock().instant();
        Instant expires = now.plus(ctx.auth().otpLifetime());
        return ctx.pool().withTransaction(tx -> MobilePhones.loginNumber(tx, account.id())
                        .map(number -> number.filter(n -> !"email".equals(asked)))
                        .compose(number -> tx.preparedQuery(
                                        "INSERT INTO login_challenge (id, account_id, code_hash, expires_at) VALUES ($1, $2, $3, $4)")
                                .execute(Tuple.of(id, account.id(), Buffer.buffer(codeHash(id, code)),
                                        OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)))
                                .compose(v -> ctx.outbox().enqueue(tx, number.isPresent()
                                        ? ctx.emails().loginCodeSms(number.get(), code).outgoing("login-code:" + id, account.id(),
                                                "security", Outbox.SECURITY, now, expires)
                                        : ctx.emails().loginCode(account.email(), code, ctx.auth().otpLifetime())
                                                .outgoing("login-code:" + id, account.id(), "security", Outbox.SECURITY, now)
                                                .expiringAt(expires)))
                                .compose(v -> ctx.audit().append(tx, AuditEvent.of("account", account.id().toString(),
                                        "login.password", "success").from(ip).detail("delivery", number.isPresent() ? "sms" : "email")))
                                .map(number)))
                .onSuccess(number -> ctx.outbox().kick(number.isPresent() ? Channel.SMS : Channel.EMAIL))
                .map(number -> {
                    JsonObject challenge = new JsonObject().put("challengeId", id.toString()).put("expiresAt", expires.toString())
                            .put("delivery", number.isPresent() ? "sms" : "email");
                    number.ifPresent(n -> challenge.put("sentTo", PhoneNumbers.masked(n)));
                    return challenge;
                });
    }

    private Future<JsonObject> refused(Optional<Account> account, String ip) {
        return ctx.audit().append(AuditEvent.of("account", account.map(a -> a.id().toString()).orElse(null),
                        "login.password", "failure").from(ip))
                .compose(v -> Future.failedFuture(ApiError.of(401, "invalid_credentials",
                        "The email or the password is not right.")));
    }

    private byte[] codeHash(UUID challengeId, String code) {
        return ctx.masterKey().keyedHash("login-code", challengeId + ":" + code);
    }

    private static ApiError otpError(String code, String detail) {
        return ApiError.of(401, code, detail);
    }

    /** A transaction's result that may be a refusal, so that the refusal's writes still commit. */
    private record Outcome(TokenPair pair, ApiError error) {
        static Outcome ok(TokenPair pair) {
            return new Outcome(pair, null);
        }

        static Outcome failed(ApiError error) {
            return new Outcome(null, error);
        }

        Future<TokenPair> toFuture() {
            return error == null ? Future.succeededFuture(pair) : Future.failedFuture(error);
        }
    }
}
