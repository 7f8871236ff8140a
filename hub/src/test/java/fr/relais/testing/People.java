package fr.relais.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.icegreen.greenmail.util.GreenMailUtil;
import fr.relais.identity.Tokens;
import fr.relais.identity.account.Provisioning;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes people the way the product does: provisioned, activated with their code, logged in with password and
 * the code that arrives by email (read from GreenMail).
 */
public final class People {
    public static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern CODE = Pattern.compile("Votre code de connexion est : (\\d{6})");

    private final TestHub hub;

    People(TestHub hub) {
        this.hub = hub;
    }

    /** A logged-in person: their account id, tokens, and an HTTP client that sends the access token. */
    public record Person(UUID id, String email, String accessToken, String refreshToken, AuthorizedClient http) {
    }

    public Person patient(String name) {
        int n = SEQUENCE.incrementAndGet();
        String email = "patient" + n + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.fr";
        Provisioning.Created created = hub.hub().identity().provisioning()
                .addPatient("test", new JsonObject().put("ins", insNumber()).put("email", email).put("displayName", name))
                .await();
        return activateAndLogIn(created);
    }

    public Person professional(String name, String profession) {
        String email = "pro" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.fr";
        Provisioning.Created created = hub.hub().identity().provisioning()
                .addProfessional("test", new JsonObject().put("rpps", rppsNumber()).put("profession", profession)
                        .put("email", email).put("displayName", name))
                .await();
        return activateAndLogIn(created);
    }

    public Person admin(String name) {
        String email = "admin" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.fr";
        Provisioning.Created created = hub.hub().identity().provisioning()
                .addAdmin("test", new JsonObject().put("email", email).put("displayName", name)).await();
        return activateAndLogIn(created);
    }

    /** An organisation registered by an admin ({@code kind}: hospital, laboratory, software_vendor, catalogue_app); its id. */
    public String organisation(String kind, String name) {
        return hub.hub().identity().organisations().add("test", new JsonObject().put("kind", kind).put("name", name))
                .await().id().toString();
    }

    /** A catalogue app registered by an admin: its OAuth client id, sending patients back to {@code redirectUri}. */
    public String catalogueApp(String name, String redirectUri, String... scopes) {
        return catalogueAppClient(name, redirectUri, scopes).getString("clientId");
    }

    /** {@link #catalogueApp}, with the client secret the admin was given once ({@code clientId}, {@code clientSecret}). */
    public JsonObject catalogueAppClient(String name, String redirectUri, String... scopes) {
        Person admin = admin("Catalogue " + name);
        HttpTestClient.Response client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", name)
                .put("organisationId", organisation("catalogue_app", name + " SAS"))
                .put("scopes", new JsonArray(List.of(scopes))).put("redirectUris", new JsonArray().add(redirectUri)));
        assertEquals(201, client.status(), client.body());
        return client.json();
    }

    /**
     * A catalogue app {@code patient} connected, granting it {@code scopes} (besides launch/patient) through the
     * authorization code flow with PKCE: the app, holding its access token for that patient.
     */
    public Person connectedApp(Person patient, String name, String... scopes) {
        List<String> all = new java.util.ArrayList<>(List.of("launch/patient"));
        all.addAll(List.of(scopes));
        return connect(patient, catalogueApp(name, APP_CALLBACK, all.toArray(String[]::new)), all);
    }

    /** Where the apps of {@link #connectedApp} send patients back. */
    public static final String APP_CALLBACK = "https://app.example/callback";

    /** {@code patient} grants the registered app {@code clientId} the {@code scopes}: the app, with its access token. */
    public Person connect(Person patient, String clientId, List<String> all) {
        String callback = APP_CALLBACK;
        String verifier = Tokens.random(32);
        String challenge;
        try {
            challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                    .getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        HttpTestClient.Response granted = patient.http().post("/api/v1/oauth/authorize", new JsonObject()
                .put("request", new JsonObject().put("response_type", "code").put("client_id", clientId).put("redirect_uri", callback)
                        .put("scope", String.join(" ", all)).put("code_challenge", challenge).put("code_challenge_method", "S256"))
                .put("decision", "grant"));
        assertEquals(200, granted.status(), granted.body());
        String code = java.net.URI.create(granted.json().getString("redirect")).getQuery().replaceFirst("^code=", "");
        HttpTestClient.Response token = hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of(),
                "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=" + clientId + "&code=" + code
                        + "&redirect_uri=" + java.net.URLEncoder.encode(callback, java.nio.charset.StandardCharsets.UTF_8)
                        + "&code_verifier=" + verifier);
        assertEquals(200, token.status(), token.body());
        String access = token.json().getString("access_token");
        UUID id = UUID.fromString(new AuthorizedClient(hub.http(), access).get("/api/v1/me").json().getString("id"));
        return new Person(id, null, access, null, new AuthorizedClient(hub.http(), access));
    }

    /** An integrator (a hospital or lab system) registered by an admin, with a client-credentials token of {@code scopes}. */
    public Person integrator(String name, String... scopes) {
        return systemOf(organisation("laboratory", name), name, scopes);
    }

    /** An integrator of the organisation {@code organisationId}, with a client-credentials token of {@code scopes}. */
    public Person systemOf(String organisationId, String name, String... scopes) {
        Person admin = admin("Intégrations " + name);
        HttpTestClient.Response client = admin.http().post("/api/v1/admin/integrators", new JsonObject().put("name", name)
                .put("organisationId", organisationId).put("scopes", new io.vertx.core.json.JsonArray(List.of(scopes))));
        assertEquals(201, client.status(), client.body());
        String credentials = client.json().getString("clientId") + ":" + client.json().getString("clientSecret");
        HttpTestClient.Response token = hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of("Authorization",
                        "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "application/x-www-form-urlencoded", "grant_type=client_credentials");
        assertEquals(200, token.status(), token.body());
        String access = token.json().getString("access_token");
        UUID id = UUID.fromString(new AuthorizedClient(hub.http(), access).get("/api/v1/me").json().getString("id"));
        return new Person(id, null, access, null, new AuthorizedClient(hub.http(), access));
    }

    public Person activateAndLogIn(Provisioning.Created created) {
        HttpTestClient.Response activated = hub.http().postJson("/api/v1/auth/activate",
                new JsonObject().put("code", created.activationCode()).put("password", PASSWORD));
        assertEquals(200, activated.status(), activated.body());
        return logIn(created.account().email(), PASSWORD);
    }

    /** A physician whom {@code patient} declared as treating them. */
    public Person physicianOf(Person patient, String name) {
        Person doctor = professional(name, "physician");
        treats(doctor, patient);
        return doctor;
    }

    /** Logs {@code person} in on the portal's page: password, then the emailed code. */
    public void logIn(Browser page, Person person) {
        page.logIn(person.email(), PASSWORD, () -> awaitCode(person.email()));
    }

    /** The patient declares that {@code professional} treats them (by RPPS, through the API). */
    public void treats(Person professional, Person patient) {
        String rpps = professional.http().get("/api/v1/me").json().getString("rpps");
        HttpTestClient.Response declared = patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps));
        assertEquals(201, declared.status(), declared.body());
    }

    /**
     * A conversation {@code professional} starts with {@code patient}, whose care they are declared in first,
     * with a first message; its id.
     */
    public String conversation(Person professional, Person patient) {
        treats(professional, patient);
        HttpTestClient.Response started = professional.http().post("/api/v1/conversations", new JsonObject()
                .put("subject", "Suivi").put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Premier message")));
        assertEquals(201, started.status(), started.body());
        return started.json().getString("conversationId");
    }

    /** The patient blocks {@code professional}. */
    public void blocks(Person patient, Person professional) {
        String rpps = professional.http().get("/api/v1/me").json().getString("rpps");
        assertEquals(201, patient.http().post("/api/v1/me/blocked-professionals", new JsonObject().put("rpps", rpps)).status());
    }

    /** A socket of this person, subscribed from the head of their stream. */
    public WsTestClient live(Person person) {
        WsTestClient socket = WsTestClient.subscribed(hub.port(), person.accessToken(), null);
        socket.awaitType("subscribed");
        return socket;
    }

    /** Password, then the emailed code. */
    public Person logIn(String email, String password) {
        String challenge = startLogin(email, password);
        HttpTestClient.Response verified = hub.http().postJson("/api/v1/auth/login/verify",
                new JsonObject().put("challengeId", challenge).put("code", awaitCode(email)));
        assertEquals(200, verified.status(), verified.body());
        JsonObject tokens = verified.json();
        String access = tokens.getString("accessToken");
        return new Person(UUID.fromString(tokens.getJsonObject("account").getString("id")), email, access,
                tokens.getString("refreshToken"), new AuthorizedClient(hub.http(), access));
    }

    /** Sends email and password; returns the challenge id. Consumes the code email beforehand counted. */
    public String startLogin(String email, String password) {
        HttpTestClient.Response started = hub.http().postJson("/api/v1/auth/login",
                new JsonObject().put("email", email).put("password", password));
        assertEquals(200, started.status(), started.body());
        return started.json().getString("challengeId");
    }

    /** The code of the next login email to {@code email} not read yet, waiting for it to arrive. */
    public String awaitCode(String email) {
        int already = consumedCodes.getOrDefault(email, 0);
        List<MimeMessage> codes = Eventually.await("login code email #" + (already + 1) + " to " + email, Duration.ofSeconds(20),
                () -> Arrays.stream(hub.mail().getReceivedMessagesForDomain(email))
                        .filter(m -> subject(m).equals("Votre code de connexion")).toList(),
                list -> list.size() > already);
        consumedCodes.put(email, already + 1);
        MimeMessage message = codes.get(already);
        Matcher matcher = CODE.matcher(GreenMailUtil.getBody(message).replace("=\r\n", ""));
        if (!matcher.find()) {
            throw new AssertionError("no code in " + GreenMailUtil.getBody(message));
        }
        return matcher.group(1);
    }

    private static final java.util.Map<String, Integer> consumedCodes = new java.util.concurrent.ConcurrentHashMap<>();

    static void forgetReadCodes() {
        consumedCodes.clear();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid, unique INS: 13-digit NIR with its key. */
    public static String insNumber() {
        long serial = SEQUENCE.incrementAndGet() + (System.nanoTime() % 100_000) * 1000;
        String nir = String.format("1850775%06d", serial % 1_000_000);
        long key = 97 - (Long.parseLong(nir) % 97);
        return nir + String.format("%02d", key);
    }

    public static String rppsNumber() {
        return String.format("1%010d", (System.nanoTime() / 1000 + SEQUENCE.incrementAndGet()) % 10_000_000_000L);
    }
}
