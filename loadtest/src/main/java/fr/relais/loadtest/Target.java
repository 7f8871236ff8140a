package fr.relais.loadtest;

import java.util.List;
import java.util.function.Function;

/**
 * What the generator drives, the hub or the persisting relay, seen the same way: a port, one socket per person
 * (by the bearer token it opens with), how a send on a lane becomes an HTTP request (or a socket command), and the
 * database it writes to (for the wait analysis).
 */
record Target(String name, int port, String socketPath, List<String> socketTokens, Function<Lane, Request> request,
              String database, boolean overSocket) {

    /** A target written to by REST (each {@link Request} a POST). */
    Target(String name, int port, String socketPath, List<String> socketTokens, Function<Lane, Request> request, String database) {
        this(name, port, socketPath, socketTokens, request, database, false);
    }

    /** The same target written to by socket commands instead: each {@link Request}'s path is the command's op. */
    Target bySocketCommands() {
        return new Target(name, port, socketPath, socketTokens, request, database, true);
    }

    /** A sender writing to a recipient (indices into the sockets), in a conversation of the hub. */
    record Lane(int sender, int recipient, String conversation) {
    }

    /** A POST: path, bearer token (or null), JSON body; over the socket, the op, the sender's token, the args. */
    record Request(String path, String token, String body) {
    }
}
