package fr.relais.identity.account;

import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.Ins;
import fr.relais.identity.Rpps;
import fr.relais.identity.Tokens;
import fr.relais.identity.policy.AppScope;
import fr.relais.identity.consent.RedirectUris;
import fr.relais.principal.Principal;
import fr.relais.principal.Profession;
import fr.relais.web.Fields;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Creates accounts (patients, professionals, admins) and integrator clients, and lets a person activate their
 * account or oppose the creation of their space. Used by the admin API and the {@code relais user} command.
 */
public final class Provisioning {
    /**
     * The scopes an integrator may be granted, each of which does something (profile:write comes with the patient's
     * consent for catalogue apps).
     */
    public static final Set<String> SCOPES = Set.of("stream:read", "messages:write", "documents:write", "agenda:write");

    /** A new account and the activation code that was (or, from the command line, is to be) handed over. */
    public record Created(Account account, String activationCode) {
    }

    /** A new integrator; the secret is shown once and only its hash is kept. */
    public record CreatedClient(UUID id, String clientId, String clientSecret, String name, List<String> scopes,
                                Organisations.Organisation organisation) {
    }

    private final IdentityContext ctx;
    private final SpaceClosure closure;

    public Provisioning(IdentityContext ctx, SpaceClosure closure) {
        this.ctx = ctx;
        this.closure = closure;
    }

    public Future<Created> addPatient(String actor, JsonObject body) {
        Ins ins = Ins.parse(body.getString("ins"), "ins");
        String email = Fields.email(body, "email");
        String name = Fields.text(body, "displayName", 1, 200);
        String phone = Fields.optionalText(body, "phone", 32);
        UUID representative = Fields.optionalUuid(body, "representativeId");
        byte[] insHash = ctx.masterKey().keyedHash("ins", ins.value());
        UUID id = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM space_opposition WHERE ins_hash = $1")
                        .execute(Tuple.of(Buffer.buffer(insHash)))
                        .compose(rows -> rows.size() > 0
                                ? Future.failedFuture(ApiError.of(409, "space_opposed",
                                        "This person opposed the creation of their space; it cannot be created."))
                                : Future.succeededFuture())
                        .compose(v -> Accounts.insertAccount(tx, id, Principal.Kind.PATIENT, email, name))
                        .compose(v -> Accounts.insertPatient(tx, id, ins.value(), phone, representative)
                                .recover(Provisioning::unknownRepresentative))
                        .compose(v -> activationCode(tx, id))
                        .compose(code -> ctx.audit().append(tx, AuditEvent.of("admin", actor, "account.create", "success")
                                        .patient(id).detail("kind", "patient"))
                                .map(code)))
                .recover(Provisioning::duplicate)
                .compose(code -> created(id, code));
    }

    public Future<Created> addProfessional(String actor, JsonObject body) {
        Rpps rpps = Rpps.parse(body.getString("rpps"), "rpps");
        Profession profession = Profession.parse(body.getString("profession"), "profession");
        String email = Fields.email(body, "email");
        String name = Fields.text(body, "displayName", 1, 200);
        String organisation = Fields.optionalText(body, "organisation", 200);
        UUID id = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> Accounts.insertAccount(tx, id, Principal.Kind.PROFESSIONAL, email, name)
                        .compose(v -> Accounts.insertProfessional(tx, id, rpps.value(), profession, organisation))
                        .compose(v -> activationCode(tx, id))
                        .compose(code -> ctx.audit().append(tx, AuditEvent.of("admin", actor, "account.create", "success")
                                .detail("kind", "professional").detail("account", id.toString())).map(code)))
                .recover(Provisioning::duplicate)
                .compose(code -> created(id, code));
    }

    public Future<Created> addAdmin(String actor, JsonObject body) {
        String email = Fields.email(body, "email");
        String name = Fields.text(body, "displayName", 1, 200);
        UUID id = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> Accounts.insertAccount(tx, id, Principal.Kind.ADMIN, email, name)
                        .compose(v -> activationCode(tx, id))
                        .compose(code -> ctx.audit().append(tx, AuditEvent.of("admin", actor, "account.create", "success")
                                .detail("kind", "admin").detail("account", id.toString())).map(code)))
                .recover(Provisioning::duplicate)
                .compose(code -> created(id, code));
    }

    public Future<CreatedClient> addIntegrator(String actor, JsonObject body) {
        String name = Fields.text(body, "name", 1, 200);
        JsonArray requested = body.getValue("scopes") instanceof JsonArray array ? array : null;
        if (requested == null || requested.isEmpty()) {
            throw ApiError.invalidField("scopes", "Give the integrator at least one scope.");
        }
        List<String> scopes = requested.stream().map(String::valueOf).distinct().sorted().toList();
        List<String> redirectUris = RedirectUris.parse(body.getValue("redirectUris"));
        UUID organisationId = Fields.uuid(body, "organisationId");
        UUID id = UUID.randomUUID();
        String clientId = "rl_" + Tokens.random(12);
        String secret = Tokens.random(32);
        return Organisations.byId(ctx.pool(), organisationId).compose(found -> {
            Organisations.Organisation organisation = found.orElseThrow(() -> ApiError.notFound("organisation_not_found",
                    "No organisation has this id: register it first (POST /api/v1/admin/organisations)."));
            boolean app = organisation.kind().equals("catalogue_app");
            requireKnown(scopes, app);
            if (app != !redirectUris.isEmpty()) {
                throw ApiError.invalidField("redirectUris", app
                        ? "A catalogue app needs at least one redirect URI, where patients are sent back with their answer."
                        : "Only a catalogue app has redirect URIs (patients consent to apps).");
            }
            return ctx.hashing().hash(secret).compose(hash -> ctx.pool().withTransaction(tx -> tx.preparedQuery("""
                                    INSERT INTO integrator (id, client_id, secret_hash, name, scopes, organisation_id, redirect_uris)
                                    VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                            .execute(Tuple.of(id, clientId, hash, name, scopes.toArray(String[]::new), organisationId,
                                    redirectUris.toArray(String[]::new)))
                            .compose(v -> ctx.audit().append(tx, AuditEvent.of("admin", actor, "integrator.create", "success")
                                    .detail("clientId", clientId).detail("organisation", organisationId.toString())))))
                    .map(v -> new CreatedClient(id, clientId, secret, name, scopes, organisation));
        });
    }

    /**
     * A catalogue app asks patients for SMART-style scopes ({@code launch/patient} among them) and may follow its own
     * stream ({@code stream:read}: consents granted and revoked); other systems have the hub's scopes.
     */
    private static void requireKnown(List<String> scopes, boolean app) {
        Set<String> known = new java.util.TreeSet<>(app ? AppScope.wireNames() : SCOPES);
        if (app) {
            known.add("stream:read");
        }
        for (String scope : scopes) {
            if (!known.contains(scope)) {
                throw ApiError.invalidField("scopes", "Unknown scope " + scope + " for " + (app ? "a catalogue app" : "this system")
                        + "; known scopes: " + String.join(", ", known) + ".");
            }
        }
        if (app && !scopes.contains(AppScope.LAUNCH_PATIENT.wireName())) {
            throw ApiError.invalidField("scopes", "A catalogue app acts for the patient who consents: give it launch/patient.");
        }
    }

    /** Queues the activation email of a new account (sent at once, as a security email). */
    public Future<Void> sendActivation(Created created) {
        String link = ctx.publicBaseUrl().get() + "/activate#code=" + created.activationCode();
        return ctx.pool().withTransaction(tx -> ctx.outbox().enqueue(tx, ctx.emails().activation(created.account().email(),
                        created.account().displayName(), link, created.activationCode(), ctx.auth().activationLifetime())
                        .outgoing("activation:" + created.account().id() + ":"
                                + java.util.HexFormat.of().formatHex(Tokens.sha256(created.activationCode())).substring(0, 16),
                                created.account().id(), "security", Outbox.SECURITY, ctx.clock().instant())))
                .onSuccess(v -> ctx.outbox().kick(Channel.EMAIL))
                .mapEmpty();
    }

    /** Sets the password of a pending account from its activation code. */
    public Future<Account> activate(JsonObject body, String ip) {
        String code = Fields.text(body, "code", 10, 200);
        String password = Fields.password(body, "password", ctx.auth().passwordMinLength());
        return ctx.hashing().hash(password).compose(hash -> ctx.pool().withTransaction(tx ->
                        useActivation(tx, code).compose(accountId -> Accounts.activate(tx, accountId, hash)
                                .compose(v -> ctx.audit().append(tx, AuditEvent.of("account", accountId.toString(),
                                        "account.activate", "success").from(ip)))
                                .compose(v -> Accounts.byId(tx, accountId)))))
                .map(account -> account.orElseThrow());
    }

    /** The patient refuses the space: it is deleted and its INS is remembered (hashed) so it is never recreated. */
    public Future<Void> oppose(JsonObject body, String ip) {
        String code = Fields.text(body, "code", 10, 200);
        return ctx.pool().withTransaction(tx -> useActivation(tx, code)
                .compose(accountId -> Accounts.byId(tx, accountId).compose(account -> {
                    Account patient = account.orElseThrow();
                    if (patient.kind() != Principal.Kind.PATIENT) {
                        return Future.failedFuture(ApiError.badRequest("not_a_patient", "Only a patient's space can be opposed."));
                    }
                    return SpaceClosure.recordOpposition(tx, ctx.masterKey(), patient.ins())
                            .compose(v -> ctx.audit().append(tx, AuditEvent.of("patient", accountId.toString(),
                                    "space.oppose", "success").patient(accountId).from(ip)))
                            .compose(v -> closure.erase(tx, patient, true));
                })));
    }

    private Future<UUID> useActivation(SqlClient tx, String code) {
        return tx.preparedQuery("""
                        UPDATE activation SET used_at = $2
                        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                        RETURNING account_id""")
                .execute(Tuple.of(Buffer.buffer(Tokens.sha256(code)), OffsetDateTime.now(ctx.clock())))
                .compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(rows.iterator().next().getUUID("account_id"))
                        : Future.failedFuture(ApiError.badRequest("activation_invalid",
                                "This activation code is unknown, already used or expired.")));
    }

    private Future<String> activationCode(SqlClient tx, UUID accountId) {
        String code = Tokens.random(18);
        return tx.preparedQuery("INSERT INTO activation (token_hash, account_id, expires_at) VALUES ($1, $2, $3)")
                .execute(Tuple.of(Buffer.buffer(Tokens.sha256(code)), accountId,
                        OffsetDateTime.now(ctx.clock()).plus(ctx.auth().activationLifetime())))
                .map(code);
    }

    private Future<Created> created(UUID id, String code) {
        return Accounts.byId(ctx.pool(), id).map(account -> new Created(account.orElseThrow(), code));
    }

    private static <T> Future<T> unknownRepresentative(Throwable failure) {
        if (failure instanceof PgException pg && "23503".equals(pg.getSqlState())) {
            return Future.failedFuture(ApiError.invalidField("representativeId", "representativeId names no account."));
        }
        return Future.failedFuture(failure);
    }

    private static <T> Future<T> duplicate(Throwable failure) {
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return Future.failedFuture(ApiError.of(409, "account_exists",
                    "An account with this email, INS or RPPS already exists."));
        }
        return Future.failedFuture(failure);
    }
}
