package fr.relais.identity;

import fr.relais.error.ApiError;
import fr.relais.identity.session.Sessions;
import fr.relais.identity.token.AccessTokens;
import fr.relais.identity.token.TokenClaims;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * Establishes who calls: a {@code Bearer} access token that verifies and whose session is still live (not
 * logged out, not revoked by a closed space or a reused refresh token), as this node remembers it
 * ({@code session.LiveSessions}: no database round trip once known). Requests without a bearer token pass
 * on anonymous; routes that need someone ask with {@link #principal} or {@link #require}.
 */
public final class Authentication {
    private static final String KEY = "relais.principal";

    private final AccessTokens tokens;
    private final Sessions sessions;

    public Authentication(AccessTokens tokens, Sessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.next(); // anonymous; other schemes (Basic for the OAuth token endpoint) belong to their route
            return;
        }
        authenticate(header.substring(7).strip())
                .onSuccess(claims -> {
                    ctx.put(KEY, claims.principal());
                    ctx.next();
                })
                .onFailure(ctx::fail);
    }

    /** Verifies a token and its session; for the WebSocket too, which authenticates by a first frame. */
    public Future<TokenClaims> authenticate(String token) {
        return tokens.verify(token).compose(claims -> sessions.isLive(claims.sessionId()).compose(live -> live
                ? Future.succeededFuture(claims)
                : Future.failedFuture(sessionEnded())));
    }

    /** The refusal of a caller whose session has ended, or whose account is gone while its session was still known live. */
    public static ApiError sessionEnded() {
        return ApiError.of(401, "session_revoked", "This session has ended; log in again.");
    }

    /** The caller; 401 if the request carried no valid token. */
    public static Principal principal(RoutingContext ctx) {
        Principal principal = ctx.get(KEY);
        if (principal == null) {
            throw ApiError.of(401, "unauthenticated", "Authentication is required.");
        }
        return principal;
    }

    /** The caller, who must be of one of these kinds; 403 otherwise. */
    public static Principal require(RoutingContext ctx, Principal.Kind... kinds) {
        Principal principal = principal(ctx);
        if (Arrays.stream(kinds).noneMatch(principal::is)) {
            throw ApiError.of(403, "forbidden", "This action is not open to your kind of account.");
        }
        return principal;
    }
}
