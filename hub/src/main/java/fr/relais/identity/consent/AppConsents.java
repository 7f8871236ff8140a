package fr.relais.identity.consent;

import fr.relais.audit.AuditEvent;
import fr.relais.error.ApiError;
import fr.relais.identity.IdentityContext;
import fr.relais.identity.Tokens;
import fr.relais.identity.policy.AppScope;
import fr.relais.identity.policy.SystemBlocks;
import fr.relais.identity.session.Sessions;
import fr.relais.identity.token.AccessTokens;
import fr.relais.principal.Principal;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Patients' consents to catalogue apps, by OAuth 2.0 authorization code with PKCE (RFC 6749 §4.1, RFC 7636, S256
 * only): the hub's consent page checks the app's request, the patient grants (a code for the app's redirect URI)
 * or refuses, the app trades the code and its verifier for tokens scoped to that patient and those scopes, and
 * the patient lists and revokes their apps. A revocation deletes the consent, its sessions and refresh tokens with
 * it, and tells every node to drop the app's sockets. The app hears of both on its own stream
 * ({@code consent.granted}, {@code consent.revoked}).
 */
public final class AppConsents {
    /** How long a code waits for the app to trade it (RFC 6749 recommends at most ten minutes). */
    static final Duration CODE_LIFETIME = Duration.ofMinutes(1);
    private static final String PKCE_TEXT = "[A-Za-z0-9._~-]{43,128}";

    private final IdentityContext ctx;
    private final Streams streams;
    private final Sessions sessions;
    private final AccessTokens tokens;

    public AppConsents(IdentityContext ctx, Streams streams, Sessions sessions, AccessTokens tokens) {
        this.ctx = ctx;
        this.streams = streams;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** A registered catalogue app. */
    record App(UUID id, String clientId, String name, String organisation, List<String> redirectUris, Set<String> scopes) {
    }

    /** An authorization request the consent page may show: who asks, for what, and where the answer goes. */
    public record Request(App app, String redirectUri, Set<String> scopes, String state, String codeChallenge) {
        public JsonObject toJson() {
            JsonArray asked = new JsonArray();
            scopes.forEach(asked::add);
            return new JsonObject().put("app", new JsonObject().put("clientId", app.clientId()).put("name", app.name())
                            .put("organisation", app.organisation()))
                    .put("scopes", asked).put("redirectUri", redirectUri);
        }
    }

    /** What the token endpoint answers an app. */
    public record Grant(String accessToken, long expiresIn, Set<String> scopes, UUID patient, UUID consent, String refreshToken) {
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("access_token", accessToken).put("token_type", "Bearer")
                    .put("expires_in", expiresIn).put("scope", String.join(" ", scopes)).put("patient", patient.toString())
                    .put("consent_id", consent.toString());
            if (refreshToken != null) {
                json.put("refresh_token", refreshToken);
            }
            return json;
        }
    }

    /**
     * Checks an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). An unknown client or a redirect URI it did
     * not register is answered to the patient ({@code 400}, never redirected); any other fault is a 400 whose
     * {@code redirect} sends the patient back to the app with the OAuth error.
     */
    public Future<Request> check(Map<String, String> params) {
        String clientId = params.get("client_id");
        String redirectUri = params.get("redirect_uri");
        if (clientId == null || clientId.isBlank()) {
            return Future.failedFuture(ApiError.badRequest("invalid_client", "The request names no client_id."));
        }
        return app(clientId).compose(found -> {
            if (found == null) {
                return Future.failedFuture(ApiError.badRequest("invalid_client", "No catalogue app has this client_id."));
            }
            if (redirectUri == null || !found.redirectUris().contains(redirectUri)) {
                return Future.failedFuture(ApiError.badRequest("invalid_redirect_uri",
                        "The redirect_uri is not one the app registered (they are compared exactly)."));
            }
            String state = params.get("state");
            if (!"code".equals(params.get("response_type"))) {
                return refusedBack(redirectUri, state, "unsupported_response_type", "Only response_type=code is supported.");
            }
            String challenge = params.get("code_challenge");
            if (challenge == null || !challenge.matches(PKCE_TEXT) || !"S256".equals(params.get("code_challenge_method"))) {
                return refusedBack(redirectUri, state, "invalid_request",
                        "PKCE is required: code_challenge (43 to 128 characters) with code_challenge_method=S256.");
            }
            Set<String> asked = new LinkedHashSet<>(Arrays.asList(params.getOrDefault("scope", "").trim().split("\\s+")));
            asked.remove("");
            if (!asked.contains(AppScope.LAUNCH_PATIENT.wireName()) || !found.scopes().containsAll(asked)
                    || !AppScope.wireNames().containsAll(asked)) {
                return refusedBack(redirectUri, state, "invalid_scope", "Ask for launch/patient and scopes the app registered: "
                        + String.join(" ", found.scopes()) + ".");
            }
            return Future.succeededFuture(new Request(found, redirectUri, asked, state, challenge));
        });
    }

    /**
     * The patient's answer to a request checked again here: where to send them back, with a code (granted) or
     * {@code error=access_denied}. Granting replaces the scopes of a standing consent to that app.
     */
    public Future<String> decide(Principal patient, Map<String, String> params, boolean grant, String ip) {
        if (!patient.is(Principal.Kind.PATIENT)) {
            return Future.failedFuture(ApiError.of(403, "forbidden", "Only a patient consents to an app, for their own space."));
        }
        return check(params).compose(request -> grant ? granted(patient, request, ip)
                : ctx.audit().append(AuditEvent.of("patient", patient.id().toString(), "consent.refuse", "success")
                                .patient(patient.id()).from(ip).detail("clientId", request.app().clientId()))
                        .map(v -> back(request.redirectUri(), request.state(), Map.of("error", "access_denied"))));
    }

    /**
     * The consent, its code, and the end of what an earlier grant to the app left: its sessions (sockets, refresh
     * tokens) and unused codes, so that a narrower grant is narrower at once. A blocked app is refused.
     */
    private Future<String> granted(Principal patient, Request request, String ip) {
        String code = Tokens.random(32);
        UUID newConsent = UUID.randomUUID();
        String[] scopes = request.scopes().toArray(String[]::new);
        List<UUID> ended = new ArrayList<>();
        return streams.withTransaction(tx -> tx.sql().preparedQuery("""
                                WITH standing AS (SELECT %s AS blocked),
                                previous AS (SELECT id FROM app_consent WHERE patient_id = $2 AND integrator_id = $3
                                             AND NOT (SELECT blocked FROM standing)),
                                ended AS (DELETE FROM session WHERE consent_id IN (SELECT id FROM previous) RETURNING id),
                                unused AS (DELETE FROM app_authorization_code WHERE consent_id IN (SELECT id FROM previous) AND used_at IS NULL),
                                consent AS (
                                    INSERT INTO app_consent (id, patient_id, integrator_id, scopes, granted_at)
                                    SELECT $1, $2, $3, $4, $5 WHERE NOT (SELECT blocked FROM standing)
                                    ON CONFLICT (patient_id, integrator_id) DO UPDATE SET scopes = EXCLUDED.scopes,
                                                                                           granted_at = EXCLUDED.granted_at
                                    RETURNING id),
                                code AS (
                                    INSERT INTO app_authorization_code (code_hash, consent_id, redirect_uri, code_challenge, scopes, expires_at)
                                    SELECT $6, id, $7, $8, $4, $9 FROM consent RETURNING consent_id)
                                SELECT (SELECT consent_id FROM code) AS consent_id, ARRAY(SELECT id FROM ended) AS ended"""
                                .formatted(SystemBlocks.blockedSql("$2", "$3")))
                        .execute(Tuple.tuple().addUUID(newConsent).addUUID(patient.id()).addUUID(request.app().id())
                                .addArrayOfString(scopes).addOffsetDateTime(OffsetDateTime.now(ctx.clock()))
                                .addBuffer(Buffer.buffer(Tokens.sha256(code))).addString(request.redirectUri())
                                .addString(request.codeChallenge())
                                .addOffsetDateTime(OffsetDateTime.now(ctx.clock()).plus(CODE_LIFETIME)))
                        .compose(rows -> {
                            Row row = rows.iterator().next();
                            if (row.getUUID("consent_id") == null) {
                                return Future.failedFuture(ApiError.of(409, "app_blocked", "You blocked this app or its publisher: "
                                        + "lift the block (in your settings) before you allow it."));
                            }
                            ended.addAll(Arrays.asList(row.getArrayOfUUIDs("ended")));
                            tx.sendWithCommit(ctx.audit().append(tx.sql(), AuditEvent.of("patient", patient.id().toString(),
                                    "consent.grant", "success").patient(patient.id()).from(ip)
                                    .detail("clientId", request.app().clientId()).detail("scope", String.join(" ", scopes))));
                            return tx.append(request.app().id(), "consent.granted", new JsonObject()
                                    .put("consentId", row.getUUID("consent_id").toString())
                                    .put("patientId", patient.id().toString()).put("scopes", new JsonArray(List.of(scopes))));
                        }))
                .onSuccess(v -> sessions.announce(ended))
                .map(v -> back(request.redirectUri(), request.state(), Map.of("code", code)));
    }

    /** RFC 6749 §4.1.3 with RFC 7636 §4.6: the code, once, by the app it was given to, with the right verifier. */
    public Future<Grant> exchange(String clientId, String code, String redirectUri, String verifier, String ip) {
        if (clientId == null || code == null || redirectUri == null || verifier == null) {
            return Future.failedFuture(oauth(400, "invalid_request", "Send client_id, code, redirect_uri and code_verifier."));
        }
        if (!verifier.matches(PKCE_TEXT)) {
            return Future.failedFuture(oauth(400, "invalid_grant", "The code_verifier is 43 to 128 unreserved characters."));
        }
        byte[] hash = Tokens.sha256(code);
        UUID sessionId = UUID.randomUUID();
        return ctx.pool().withTransaction(tx -> tx.preparedQuery("""
                                UPDATE app_authorization_code a SET used_at = now()
                                FROM app_consent c JOIN integrator i ON i.id = c.integrator_id
                                WHERE a.code_hash = $1 AND c.id = a.consent_id AND a.used_at IS NULL AND a.expires_at > $2
                                  AND i.client_id = $3 AND NOT i.disabled AND a.redirect_uri = $4 AND NOT %s
                                RETURNING c.id AS consent_id, c.patient_id, c.integrator_id, a.scopes, a.code_challenge"""
                                .formatted(SystemBlocks.blockedSql("c.patient_id", "c.integrator_id")))
                        .execute(Tuple.of(Buffer.buffer(hash), OffsetDateTime.now(ctx.clock()), clientId, redirectUri))
                        .compose(rows -> {
                            Row row = rows.size() == 1 ? rows.iterator().next() : null;
                            if (row == null || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
                                    row.getString("code_challenge").getBytes(StandardCharsets.US_ASCII))) {
                                return Future.failedFuture(oauth(400, "invalid_grant",
                                        "The code is unknown, used, expired, not this client's or redirect_uri's, or the verifier does not match."));
                            }
                            Set<String> scopes = new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("scopes")));
                            boolean refreshable = scopes.contains(AppScope.OFFLINE_ACCESS.wireName());
                            UUID app = row.getUUID("integrator_id");
                            UUID patient = row.getUUID("patient_id");
                            UUID consent = row.getUUID("consent_id");
                            return sessions.openForApp(tx, sessionId, app, consent, tokens.lifetime(), refreshable)
                                    .compose(refresh -> ctx.audit().append(tx, AuditEvent.of("integrator", app.toString(),
                                                    "oauth.authorization_code", "success").patient(patient).from(ip))
                                            .map(v -> issue(app, sessionId, scopes, patient, consent, refresh)));
                        }))
                .recover(AppConsents::withdrawnMeanwhile);
    }

    /** A consent withdrawn while its code or refresh token was being traded: the grant is gone, not a fault. */
    private static <T> Future<T> withdrawnMeanwhile(Throwable failure) {
        if (failure instanceof io.vertx.pgclient.PgException pg && Set.of("23503", "40P01").contains(pg.getSqlState())) {
            return Future.failedFuture(oauth(400, "invalid_grant", "The patient withdrew their consent meanwhile."));
        }
        return Future.failedFuture(failure);
    }

    /** RFC 6749 §6 for an app: its refresh token, once, while the consent stands. */
    public Future<Grant> refresh(String clientId, String refreshToken) {
        if (clientId == null || refreshToken == null) {
            return Future.failedFuture(oauth(400, "invalid_request", "Send client_id and refresh_token."));
        }
        // the client, and a consent that still holds offline_access, before the token is spent (a wrong client_id must
        // not burn the app's token)
        return ctx.pool().preparedQuery(STANDING_REFRESH).execute(Tuple.of(Buffer.buffer(Tokens.sha256(refreshToken)), clientId))
                .compose(found -> found.size() == 0
                        ? Future.failedFuture(oauth(400, "invalid_grant", "The refresh token is unknown, used, revoked or not this client's."))
                        : sessions.refreshApp(refreshToken))
                .recover(failure -> Future.failedFuture(failure instanceof ApiError
                        ? oauth(400, "invalid_grant", "The refresh token is unknown, used, revoked or not this client's.") : failure))
                .compose(refreshed -> ctx.pool().preparedQuery("""
                                SELECT c.id, c.patient_id, c.integrator_id, c.scopes FROM session s
                                JOIN app_consent c ON c.id = s.consent_id JOIN integrator i ON i.id = c.integrator_id
                                WHERE s.id = $1 AND i.client_id = $2 AND NOT i.disabled""")
                        .execute(Tuple.of(refreshed.sessionId(), clientId))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.failedFuture(oauth(400, "invalid_grant", "The refresh token is not this client's."));
                            }
                            Row row = rows.iterator().next();
                            return Future.succeededFuture(issue(row.getUUID("integrator_id"), refreshed.sessionId(),
                                    new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("scopes"))),
                                    row.getUUID("patient_id"), row.getUUID("id"), refreshed.refreshToken()));
                        }));
    }

    private static final String STANDING_REFRESH = """
            SELECT 1 FROM refresh_token t JOIN session s ON s.id = t.session_id
            JOIN app_consent c ON c.id = s.consent_id JOIN integrator i ON i.id = c.integrator_id
            WHERE t.token_hash = $1 AND i.client_id = $2 AND NOT i.disabled AND 'offline_access' = ANY(c.scopes)
              AND NOT %s""".formatted(SystemBlocks.blockedSql("c.patient_id", "c.integrator_id"));

    private Grant issue(UUID app, UUID sessionId, Set<String> scopes, UUID patient, UUID consent, String refreshToken) {
        return new Grant(tokens.issue(Principal.app(app, sessionId, Set.copyOf(scopes), patient)),
                tokens.lifetime().toSeconds(), scopes, patient, consent, refreshToken);
    }

    /** The apps {@code patient} consented to, newest first, with what each may do. */
    public Future<JsonArray> list(Principal patient) {
        requirePatient(patient);
        return ctx.pool().preparedQuery("""
                        SELECT i.client_id, i.name, o.name AS organisation, c.scopes, c.granted_at
                        FROM app_consent c JOIN integrator i ON i.id = c.integrator_id
                        JOIN organisation o ON o.id = i.organisation_id
                        WHERE c.patient_id = $1 ORDER BY c.granted_at DESC, i.client_id""")
                .execute(Tuple.of(patient.id()))
                .map(rows -> {
                    JsonArray apps = new JsonArray();
                    rows.forEach(row -> apps.add(new JsonObject().put("clientId", row.getString("client_id"))
                            .put("name", row.getString("name")).put("organisation", row.getString("organisation"))
                            .put("scopes", new JsonArray(List.of(row.getArrayOfStrings("scopes"))))
                            .put("grantedAt", row.getOffsetDateTime("granted_at").toInstant().toString())));
                    return apps;
                });
    }

    /**
     * Withdraws {@code patient}'s consent to the app {@code clientId}: its sessions and refresh tokens go with it,
     * every node forgets them and drops the app's sockets. {@code 404 app_not_connected} if there is none.
     */
    public Future<Void> revoke(Principal patient, String clientId, String ip) {
        requirePatient(patient);
        return withdraw(patient.id(), "i.client_id = $2", clientId, "revoked", ip).compose(apps -> apps > 0
                ? Future.<Void>succeededFuture()
                : Future.failedFuture(ApiError.notFound("app_not_connected", "No app with this client id is connected to your space.")));
    }

    /** Withdraws the consents {@code patient} gave to apps they have since blocked (the app or its organisation). */
    public Future<Void> withdrawBlocked(UUID patient, String ip) {
        return withdraw(patient, "$2::text IS NULL AND " + SystemBlocks.blockedSql("c.patient_id", "c.integrator_id"), null,
                "blocked", ip).mapEmpty();
    }

    /** Deletes the consents of {@code patient} to the apps {@code which} selects; how many apps lost it. */
    private Future<Integer> withdraw(UUID patient, String which, String clientId, String reason, String ip) {
        List<UUID> cut = new ArrayList<>();
        // the consents are locked first: a code or refresh token being traded holds them until it commits, and the
        // delete that follows, with a snapshot taken after that, finds the session it opened
        return streams.withTransaction(tx -> tx.sql().preparedQuery("""
                                SELECT c.id FROM app_consent c JOIN integrator i ON i.id = c.integrator_id
                                WHERE c.patient_id = $1 AND %s FOR UPDATE OF c""".formatted(which))
                        .execute(Tuple.of(patient, clientId))
                        .compose(locked -> tx.sql().preparedQuery("""
                                WITH gone AS (
                                    DELETE FROM app_consent c USING integrator i
                                    WHERE c.patient_id = $1 AND i.id = c.integrator_id AND %s
                                    RETURNING c.id, c.integrator_id, i.client_id)
                                SELECT g.id AS consent_id, g.integrator_id, g.client_id, s.id AS session_id
                                FROM gone g LEFT JOIN session s ON s.consent_id = g.id""".formatted(which))
                        .execute(Tuple.of(patient, clientId)))
                        .compose(rows -> {
                            Map<UUID, Row> apps = new java.util.LinkedHashMap<>();
                            for (Row row : rows) {
                                apps.put(row.getUUID("integrator_id"), row);
                                if (row.getUUID("session_id") != null) {
                                    cut.add(row.getUUID("session_id"));
                                }
                            }
                            apps.forEach((app, row) -> {
                                tx.sendWithCommit(ctx.audit().append(tx.sql(), AuditEvent.of("patient", patient.toString(),
                                        "consent.revoke", "success").patient(patient).from(ip)
                                        .detail("clientId", row.getString("client_id")).detail("reason", reason)));
                                tx.append(app, "consent.revoked", new JsonObject().put("consentId", row.getUUID("consent_id").toString())
                                        .put("patientId", patient.toString()).put("reason", reason));
                            });
                            return Future.succeededFuture(apps.size());
                        }))
                .onSuccess(v -> sessions.announce(cut));
    }

    /** Deletes the codes past their minute (a part of identity's upkeep); how many. */
    public Future<Integer> purgeCodes() {
        return ctx.pool().preparedQuery("DELETE FROM app_authorization_code WHERE expires_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(ctx.clock()))).map(rows -> rows.rowCount());
    }

    private static void requirePatient(Principal who) {
        if (!who.is(Principal.Kind.PATIENT)) {
            throw ApiError.of(403, "forbidden", "Only a patient has connected apps.");
        }
    }

    private Future<App> app(String clientId) {
        return ctx.pool().preparedQuery("""
                        SELECT i.id, i.client_id, i.name, o.name AS organisation, i.redirect_uris, i.scopes
                        FROM integrator i JOIN organisation o ON o.id = i.organisation_id
                        WHERE i.client_id = $1 AND NOT i.disabled AND o.kind = 'catalogue_app'""")
                .execute(Tuple.of(clientId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new App(row.getUUID("id"), row.getString("client_id"), row.getString("name"),
                            row.getString("organisation"), List.of(row.getArrayOfStrings("redirect_uris")),
                            new LinkedHashSet<>(Arrays.asList(row.getArrayOfStrings("scopes"))));
                });
    }

    private static <T> Future<T> refusedBack(String redirectUri, String state, String error, String description) {
        Map<String, String> answer = new java.util.LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        return Future.failedFuture(ApiError.badRequest(error, description).with("redirect", back(redirectUri, state, answer)));
    }

    /** The app's redirect URI with the answer's parameters and the state, as RFC 6749 §4.1.2 writes them. */
    private static String back(String redirectUri, String state, Map<String, String> answer) {
        StringBuilder url = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        answer.forEach((name, value) -> url.append(name).append('=').append(encoded(value)).append('&'));
        if (state != null) {
            url.append("state=").append(encoded(state)).append('&');
        }
        url.setLength(url.length() - 1);
        return url.toString();
    }

    private static String encoded(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiError oauth(int status, String error, String detail) {
        return ApiError.of(status, error, detail).with("error", error).with("error_description", detail);
    }
}
