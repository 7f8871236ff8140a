package fr.relais.identity.login;

import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.session.Sessions;
import fr.relais.identity.token.AccessTokens;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * OAuth 2.0 {@code client_credentials} for integrators (RFC 6749 §4.4). The client may ask for a subset of its
 * scopes; the token carries what was granted. Errors carry RFC 6749's {@code error} member beside our code.
 */
public final class ClientCredentials {
    private final IdentityContext ctx;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final LoginThrottle throttle;

    public ClientCredentials(IdentityContext ctx, Sessions sessions, AccessTokens tokens) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.tokens = tokens;
        this.throttle = new LoginThrottle(ctx.vertx(), ctx.rateLimiter(), ctx.auth().rateLimit());
    }

    /** The granted token and its scopes. */
    public record Grant(String accessToken, long expiresIn, Set<String> scopes) {
    }

    public Future<Grant> grant(String clientId, String secret, String requestedScope, String ip) {
        return throttle.clientSecret(ip, clientId).compose(attempt -> ctx.pool().preparedQuery(
                                "SELECT id, secret_hash, scopes, disabled FROM integrator WHERE client_id = $1")
                        .execute(Tuple.of(clientId))
                .compose(rows -> {
                    Row row = rows.size() == 1 ? rows.iterator().next() : null;
                    boolean usable = row != null && !row.getBoolean("disabled");
                    return ctx.hashing().verify(secret, usable ? row.getString("secret_hash") : null)
                            .compose(ok -> ok ? throttle.succeeded(attempt).compose(v -> issue(row, requestedScope, ip))
                                    : refuse(clientId, ip));
                }));
    }

    private Future<Grant> issue(Row client, String requestedScope, String ip) {
        UUID integratorId = client.getUUID("id");
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(client.getArrayOfStrings("scopes")));
        Set<String> granted = requestedScope == null || requestedScope.isBlank()
                ? allowed : new LinkedHashSet<>(List.of(requestedScope.trim().split("\\s+")));
        if (!allowed.containsAll(granted)) {
            return Future.failedFuture(oauthError(400, "invalid_scope", "scope_not_allowed",
                    "The client may not ask for these scopes."));
        }
        UUID sessionId = UUID.randomUUID();
        Principal principal = new Principal(integratorId, Principal.Kind.INTEGRATOR, sessionId, Set.copyOf(granted), null);
        return ctx.pool().withTransaction(tx -> sessions.openForIntegrator(tx, sessionId, integratorId, tokens.lifetime())
                        .compose(v -> ctx.audit().append(tx, AuditEvent.of("integrator", integratorId.toString(),
                                "oauth.client_credentials", "success").from(ip).detail("scope", String.join(" ", granted)))))
                .map(v -> new Grant(tokens.issue(principal), tokens.lifetime().toSeconds(), granted));
    }

    private Future<Grant> refuse(String clientId, String ip) {
        return ctx.audit().append(AuditEvent.of("integrator", null, "oauth.client_credentials", "failure")
                        .from(ip).detail("clientId", clientId))
                .compose(v -> Future.failedFuture(oauthError(401, "invalid_client", "invalid_client",
                        "The client id or secret is not right.")));
    }

    public static ApiError oauthError(int status, String oauthCode, String code, String detail) {
        return ApiError.of(status, code, detail).with("error", oauthCode).with("error_description", detail);
    }
}
