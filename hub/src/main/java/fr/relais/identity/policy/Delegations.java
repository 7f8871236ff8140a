package fr.relais.identity.policy;

import fr.relais.error.ApiError;
import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * A professional's delegations to their software: a system they named acts on their behalf (sends their messages,
 * reads the replies in the conversations it took part in) with their rights and no more, until they revoke it.
 * The system hears of both on its stream ({@code delegation.granted}, {@code delegation.revoked}).
 */
public final class Delegations {
    /** The scope a system needs to act for a professional in messaging. */
    public static final String MESSAGES_SCOPE = "messages:write";
    /** The scope a system needs to book appointments for a professional. */
    public static final String AGENDA_SCOPE = "agenda:write";
    private static final String GRANTED = """
            SELECT d.integrator_id, d.created_at, i.name, o.id AS organisation_id, o.name AS organisation_name, o.kind
            FROM delegation d JOIN integrator i ON i.id = d.integrator_id JOIN organisation o ON o.id = i.organisation_id
            """;

    private final Streams streams;

    public Delegations(Streams streams) {
        this.streams = streams;
    }

    /**
     * SQL that is true while the professional in {@code professional} delegates to the system in {@code system}
     * (columns or parameters) and that system is enabled, for a feature's statement.
     */
    public static String activeSql(String professional, String system) {
        return """
                EXISTS (SELECT 1 FROM delegation d JOIN integrator i ON i.id = d.integrator_id AND NOT i.disabled
                        WHERE d.professional_id = %s AND d.integrator_id = %s)""".formatted(professional, system);
    }

    /**
     * SQL true while the system in {@code system} (a column or parameter) is enabled and registered with
     * {@code scope}: what a feature serving a system outside its sessions (a webhook) checks at each run.
     */
    public static String systemMaySql(String system, String scope) {
        if (!scope.matches("[a-z]+:[a-z]+")) {
            throw new IllegalArgumentException("not a scope: " + scope);
        }
        return "EXISTS (SELECT 1 FROM integrator i WHERE i.id = %s AND NOT i.disabled AND '%s' = ANY(i.scopes))"
                .formatted(system, scope);
    }

    /** The systems acting for {@code professional}, oldest delegation first. */
    public Future<JsonArray> granted(UUID professional) {
        return streams.pool().preparedQuery(GRANTED + "WHERE d.professional_id = $1 ORDER BY d.created_at, d.integrator_id")
                .execute(Tuple.of(professional))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(system(row)));
                    return list;
                });
    }

    /**
     * Lets the system whose OAuth client id is {@code clientId} act for {@code professional}; granting again answers
     * the standing delegation. A disabled or unknown system is {@code 404 system_not_found}.
     */
    public Future<JsonObject> grant(UUID professional, String clientId) {
        return streams.withTransaction(tx -> tx.sql().preparedQuery("""
                        WITH target AS (SELECT id FROM integrator WHERE client_id = $2 AND NOT disabled),
                        added AS (
                            INSERT INTO delegation (professional_id, integrator_id)
                            SELECT $1, id FROM target ON CONFLICT DO NOTHING RETURNING integrator_id)
                        SELECT t.id, a.integrator_id IS NOT NULL AS added FROM target t LEFT JOIN added a ON true""")
                .execute(Tuple.of(professional, clientId))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.notFound("system_not_found", "No active system has this client id."));
                    }
                    Row row = rows.iterator().next();
                    UUID system = row.getUUID("id");
                    Future<Void> told = row.getBoolean("added") ? tx.append(system, "delegation.granted",
                            new JsonObject().put("professionalId", professional.toString())) : Future.succeededFuture();
                    return told.map(system);
                }))
                .compose(system -> one(professional, system));
    }

    /** Ends the delegation to {@code system}; the system can no longer act for them, and is told. */
    public Future<Void> revoke(UUID professional, UUID system) {
        return streams.withTransaction(tx -> tx.sql().preparedQuery(
                        "DELETE FROM delegation WHERE professional_id = $1 AND integrator_id = $2")
                .execute(Tuple.of(professional, system))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(ApiError.notFound("delegation_not_found", "This system does not act for you."))
                        : tx.append(system, "delegation.revoked", new JsonObject().put("professionalId", professional.toString()))));
    }

    /** The professionals {@code system} acts for: whom it may name in {@code onBehalfOf}. */
    public Future<JsonArray> professionalsOf(UUID system) {
        return streams.pool().preparedQuery("""
                        SELECT a.id, a.display_name, p.rpps, p.profession, d.created_at
                        FROM delegation d JOIN account a ON a.id = d.professional_id JOIN professional p ON p.account_id = a.id
                        WHERE d.integrator_id = $1 AND a.status = 'active' ORDER BY d.created_at, a.id""")
                .execute(Tuple.of(system))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(new JsonObject().put("professionalId", row.getUUID("id").toString())
                            .put("name", row.getString("display_name")).put("rpps", row.getString("rpps"))
                            .put("profession", row.getString("profession"))
                            .put("since", row.getOffsetDateTime("created_at").toInstant().toString())));
                    return list;
                });
    }

    /**
     * The professional whose account id is {@code onBehalfOfId}, as {@code system} may act for them: with their
     * rights, through the system. A system without {@code scope} is {@code 403 insufficient_scope}; one the
     * professional did not delegate to (or no longer does), {@code 403 not_delegated}.
     */
    public Future<Principal> actAs(Principal system, Object onBehalfOfId, String scope) {
        if (!system.is(Principal.Kind.INTEGRATOR)) {
            return Future.failedFuture(ApiError.invalidField("onBehalfOf", "Only a system acts on someone's behalf."));
        }
        if (!system.hasScope(scope)) {
            return Future.failedFuture(ApiError.of(403, "insufficient_scope", "Doing this for a professional needs " + scope + "."));
        }
        UUID onBehalfOf;
        try {
            onBehalfOf = UUID.fromString((String) onBehalfOfId);
        } catch (RuntimeException e) {
            return Future.failedFuture(ApiError.invalidField("onBehalfOf",
                    "A system names the professional it acts for: onBehalfOf, their account id (GET /api/v1/delegations)."));
        }
        return streams.pool().preparedQuery("""
                        SELECT p.profession, i.name FROM delegation d
                        JOIN account a ON a.id = d.professional_id AND a.status = 'active'
                        JOIN professional p ON p.account_id = a.id
                        JOIN integrator i ON i.id = d.integrator_id AND NOT i.disabled
                        WHERE d.professional_id = $1 AND d.integrator_id = $2""")
                .execute(Tuple.of(onBehalfOf, system.id()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.of(403, "not_delegated",
                                "This professional has not let this system act on their behalf (or no longer does)."));
                    }
                    Row row = rows.iterator().next();
                    Principal professional = new Principal(onBehalfOf, Principal.Kind.PROFESSIONAL, null, java.util.Set.of(),
                            Profession.parse(row.getString("profession"), "profession"));
                    return Future.succeededFuture(professional.through(new Principal.Via(system.id(), row.getString("name")),
                            system.sessionId()));
                });
    }

    /**
     * Whom a request acts as: the person calling (who names nobody in {@code onBehalfOf}: {@code 400} if they do), or,
     * for a system, the professional it names there, through {@link #actAs} with {@code scope}.
     */
    public Future<Principal> acting(Principal caller, Object onBehalfOf, String scope) {
        if (!caller.is(Principal.Kind.INTEGRATOR)) {
            return onBehalfOf == null ? Future.succeededFuture(caller)
                    : Future.failedFuture(ApiError.invalidField("onBehalfOf", "Only a system acts on someone's behalf."));
        }
        return actAs(caller, onBehalfOf, scope);
    }

    private Future<JsonObject> one(UUID professional, UUID system) {
        return streams.pool().preparedQuery(GRANTED + "WHERE d.professional_id = $1 AND d.integrator_id = $2")
                .execute(Tuple.of(professional, system))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(ApiError.notFound("delegation_not_found", "This system does not act for you."))
                        : Future.succeededFuture(system(rows.iterator().next())));
    }

    private static JsonObject system(Row row) {
        return new JsonObject().put("systemId", row.getUUID("integrator_id").toString()).put("name", row.getString("name"))
                .put("organisation", new JsonObject().put("id", row.getUUID("organisation_id").toString())
                        .put("name", row.getString("organisation_name")).put("kind", row.getString("kind")))
                .put("since", row.getOffsetDateTime("created_at").toInstant().toString());
    }
}
