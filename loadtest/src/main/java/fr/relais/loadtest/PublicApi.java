package fr.relais.loadtest;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/** The public API as the benchmarks use it: JSON calls, and accounts made and logged in the way people do. */
record PublicApi(HttpClient http, int port, Path mail) {
    private static final Pattern ACTIVATION = Pattern.compile("Code d'activation : (\\S+)");

    /** A logged-in account; {@code ins} for patients only. */
    record Account(String id, String email, String token, String ins) {
    }

    /** A valid INS: the 13-digit NIR and its key. */
    static String ins(String nir) {
        return nir + String.format("%02d", 97 - Long.parseLong(nir) % 97);
    }

    /** Patient number {@code n} (NIR {@code nirPrefix} + n), made by the admin, treated by the professional {@code rpps}. */
    Account patientTreatedBy(String adminToken, String nirPrefix, int n, String rpps) throws Exception {
        Account patient = create(adminToken, "patients", new JsonObject().put("ins", ins(String.format(nirPrefix + "%05d", n)))
                .put("email", "patient" + n + "@bench.example").put("displayName", "Patient " + n));
        call("POST", "/api/v1/me/care-relationships", patient.token(), new JsonObject().put("rpps", rpps)).join();
        return patient;
    }

    /** A conversation the professional starts with the patient; its id. */
    String conversation(Account professional, Account patient) {
        return call("POST", "/api/v1/conversations", professional.token(), new JsonObject().put("subject", "Suivi")
                .put("participants", new io.vertx.core.json.JsonArray().add(patient.id()))
                .put("message", new JsonObject().put("body", "Bonjour"))).join().getString("conversationId");
    }

    /** A system of a new laboratory with {@code scope}, as an admin registers it; its client-credentials access token. */
    String system(String adminToken, String name, String scope) {
        String organisation = call("POST", "/api/v1/admin/organisations", adminToken, new JsonObject().put("kind", "laboratory")
                .put("name", name)).join().getString("id");
        JsonObject client = call("POST", "/api/v1/admin/integrators", adminToken, new JsonObject().put("name", name)
                .put("organisationId", organisation).put("scopes", new io.vertx.core.json.JsonArray().add(scope))).join();
        String basic = java.util.Base64.getEncoder().encodeToString((client.getString("clientId") + ":" + client.getString("clientSecret"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest token = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/oauth/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        return http.sendAsync(token, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new JsonObject(response.body()).getString("access_token")).join();
    }

    CompletableFuture<JsonObject> call(String method, String path, String token, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            String text = response.body();
            return text.startsWith("{") ? new JsonObject(text) : new JsonObject();
        });
    }

    Account create(String adminToken, String kind, JsonObject body) throws Exception {
        call("POST", "/api/v1/admin/" + kind, adminToken, body).join();
        String email = body.getString("email");
        String code = BenchHub.codeFromMailDir(mail, email, ACTIVATION);
        call("POST", "/api/v1/auth/activate", null, new JsonObject().put("code", code).put("password", BenchHub.PASSWORD)).join();
        JsonObject login = login(email);
        return new Account(login.getJsonObject("account").getString("id"), email, login.getString("accessToken"), body.getString("ins"));
    }

    JsonObject login(String email) {
        try {
            String challenge = call("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email)
                    .put("password", BenchHub.PASSWORD)).join().getString("challengeId");
            return call("POST", "/api/v1/auth/login/verify", null, new JsonObject().put("challengeId", challenge)
                    .put("code", BenchHub.codeFromMailDir(mail, email))).join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
