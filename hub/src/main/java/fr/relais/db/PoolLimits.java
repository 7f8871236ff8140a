package fr.relais.db;

import java.time.Duration;

/**
 * How many connections the pool holds and how long a request may wait on the database before it is answered
 * {@code 503 database_unavailable}: these bound a request's wait when the server hangs rather than refuses.
 *
 * @param size           connections in the pool
 * @param acquireTimeout the longest wait for a free connection (all of them busy, or a new one not set up yet)
 * @param queryTimeout   the longest silence of the server on a connection that waits for an answer; the connection
 *                       is then closed, and what ran on it fails
 */
public record PoolLimits(int size, Duration acquireTimeout, Duration queryTimeout) {

    /** The same bounds with another number of connections (admin tasks need few). */
    public PoolLimits withSize(int connections) {
        return new PoolLimits(connections, acquireTimeout, queryTimeout);
    }
}
