package fr.relais.db;

import fr.relais.error.ApiError;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;

/**
 * Recognises the failures that mean "the database cannot be reached right now" (server down or restarting,
 * connection cut, pool saturated), so that clients get a retryable 503 rather than a 500. PostgreSQL commits
 * or rolls back each transaction whole, so a request that failed this way wrote nothing and can be retried.
 */
public final class DatabaseOutage {
    /** How long clients are told to wait before they retry. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final int MAX_CAUSE_DEPTH = 8;
    /** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is added below. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof ClosedConnectionException || current instanceof ConnectException
                    || current instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (current instanceof DatabaseException db && db.getSqlState() != null
                    && (db.getSqlState().startsWith("08") || UNAVAILABLE_STATES.contains(db.getSqlState()))) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    /** The failure as clients should see it: {@code database_unavailable} (503) during an outage, else unchanged. */
    public static Throwable toClientError(Throwable failure) {
        if (failure instanceof ApiError || !isOutage(failure)) {
            return failure;
        }
        return ApiError.of(503, "database_unavailable",
                        "The database cannot be reached at the moment; nothing was written. Try again shortly.")
                .retryAfter(RETRY_AFTER);
    }
}
