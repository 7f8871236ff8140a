package fr.relais.loadtest;

import java.util.List;
import java.util.function.Function;

/**
 * What the generator drives, the hub or the persisting relay, seen the same way: a port, one socket per person
 * (by the bearer token it opens with), how a send on a lane becomes an HTTP request, and the
 * database it writes to (for the wait analysis).
 */
record Target(String name, int port, String socketPath, List<String> socketTokens, Function<Lane, Request> request,
              String database) {

    /** A sender writing to a recipient (indices into the sockets), in a conversation of the hub. */
    record Lane(int sender, int recipient, String conversation) {
    }

    /** A POST: path, bearer token (or null), JSON body. */
    record Request(String path, String token, String body) {
    }
}
