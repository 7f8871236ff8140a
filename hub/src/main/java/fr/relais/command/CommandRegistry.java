package fr.relais.command;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operations features offer over the socket, by name, and their execution: the scope an integrator needs,
 * and idempotency (a write sent again with the same key and arguments gets the first result back, without running
 * twice; with other arguments, 409 idempotency_key_reused).
 * Queries are never answered from the idempotency store: they run again, access checks included, every time.
 */
public final class CommandRegistry {
    private record Registered(KeyedHandler handler, Optional<String> integratorScope, Kind kind) {
    }

    private enum Kind { QUERY, WRITE, WRITE_KEYED_BY_FEATURE }

    /**
     * A write that keeps its idempotency keys itself, with the rows it writes, so that a key means the same over
     * REST and over the socket; it gets the frame's key (null when none).
     */
    @FunctionalInterface
    public interface KeyedHandler {
        Future<JsonObject> handle(Principal who, JsonObject args, String idempotencyKey);
    }

    private final Map<String, Registered> byName = new ConcurrentHashMap<>();
    private final IdempotencyStore idempotency;

    public CommandRegistry(IdempotencyStore idempotency) {
        this.idempotency = idempotency;
    }

    /** Offers the write {@code op}; integrators need {@code integratorScope} (null: integrators may not use it). */
    public void register(String op, String integratorScope, CommandHandler handler) {
        add(op, new Registered((who, args, key) -> handler.handle(who, args), Optional.ofNullable(integratorScope), Kind.WRITE));
    }

    /** Offers the write {@code op}, whose feature keeps idempotency keys itself (shared with its REST route). */
    public void registerKeyed(String op, String integratorScope, KeyedHandler handler) {
        add(op, new Registered(handler, Optional.ofNullable(integratorScope), Kind.WRITE_KEYED_BY_FEATURE));
    }

    /** Offers the read-only {@code op}: an idempotency key sent with it is ignored (reading again changes nothing). */
    public void registerQuery(String op, String integratorScope, CommandHandler handler) {
        add(op, new Registered((who, args, key) -> handler.handle(who, args), Optional.ofNullable(integratorScope), Kind.QUERY));
    }

    private void add(String op, Registered registered) {
        if (byName.putIfAbsent(op, registered) != null) {
            throw new IllegalStateException("command " + op + " is registered twice");
        }
    }

    public Future<JsonObject> execute(Principal who, String op, JsonObject args, String idempotencyKey) {
        Registered registered = byName.get(op);
        if (registered == null) {
            return Future.failedFuture(ApiError.badRequest("unknown_operation", "There is no operation named " + op + "."));
        }
        if (who.is(Principal.Kind.INTEGRATOR)
                && registered.integratorScope().map(scope -> !who.hasScope(scope)).orElse(true)) {
            return Future.failedFuture(ApiError.of(403, "insufficient_scope",
                    "This operation needs the scope " + registered.integratorScope().orElse("(none available)") + "."));
        }
        if (registered.kind() == Kind.QUERY) {
            return run(registered.handler(), who, args, null);
        }
        if (idempotencyKey == null || registered.kind() == Kind.WRITE_KEYED_BY_FEATURE) {
            return run(registered.handler(), who, args, idempotencyKey);
        }
        return idempotency.once(who, idempotencyKey, op, args, () -> run(registered.handler(), who, args, null));
    }

    /**
     * Runs a handler; an argument of the wrong type ({@code "limit": "abc"} read as a number) or an unparseable one
     * is the client's mistake, whether the handler throws it or fails its future with it: {@code invalid_command}.
     */
    private static Future<JsonObject> run(KeyedHandler handler, Principal who, JsonObject args, String idempotencyKey) {
        Future<JsonObject> result;
        try {
            result = handler.handle(who, args, idempotencyKey);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.recover(failure -> Future.failedFuture(failure instanceof ClassCastException
                || failure instanceof IllegalArgumentException
                ? ApiError.badRequest("invalid_command", "An argument of the command has the wrong type or form.")
                : failure));
    }
}
