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
 * connection cut, pool saturated, server silent past {@code db.queryTimeout} or no free connection within
 * {@code db.acquireTimeout}: see {@link DatabasePool}), so that clients get a retryable 503 rather than a 500.
 *
 * <p>PostgreSQL commits or rolls back each transaction whole, so such a request wrote all or nothing. Nearly always
 * nothing; but when the connection is lost while the COMMIT is on its way, the server may have committed: a 503
 * means "maybe not done", and a write must be retried with the same {@code Idempotency-Key}.
 */
public final class DatabaseOutage {
    /** How long clients are told to wait before they retry. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final int MAX_CAUSE_DEPTH = 8;
    /** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is added below. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    /**
     * How the SQL client fails, with no type of its own, a wait for a pooled connection that outlived
     * {@code db.acquireTimeout} ({@code getConnection} and transactions; queries run on the pool).
     */
    private static final Set<String> ACQUIRE_TIMEOUTS = Set.of("Timeout", "Timeout waiting for connection");
    /** How it fails a command given to a connection that was closed meanwhile (by the server, or as hung). */
    private static final String CLOSED_CONNECTION_PREFIX = "Connection is not active now";

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof ClosedConnectionException || current instanceof ConnectException
                    || current instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            if (isUntypedOutage(current)) {
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

    private static boolean isUntypedOutage(Throwable failure) {
        String message = failure.getMessage();
        return message != null && failure.getCause() == null && failure.getClass().getName().startsWith("io.vertx.core.")
                && (ACQUIRE_TIMEOUTS.contains(message) || message.startsWith(CLOSED_CONNECTION_PREFIX));
    }

    /** The failure as clients should see it: {@code database_unavailable} (503) during an outage, else unchanged. */
    public static Throwable toClientError(Throwable failure) {
        if (failure instanceof ApiError || !isOutage(failure)) {
            return failure;
        }
        return ApiError.of(503, "database_unavailable",
                        "The database cannot be reached at the moment. Try again shortly; retry a write with the same"
                                + " Idempotency-Key, in case it was done after all.")
                .retryAfter(RETRY_AFTER);
    }
}
