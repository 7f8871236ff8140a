package fr.relais.integrators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every example of docs/INTEGRATORS.md, in order, against a real hub, as a reader would paste them:
 * {@code http} blocks are requests (their answer must be 2xx; {@code capture=name:member} keeps a member of the
 * answer for the next blocks, {@code name:member?parameter} a parameter of the address in that member;
 * {@code basic=id:secret} authenticates the client), {@code ws} blocks are socket
 * sessions ({@code >} frames sent, {@code <} frames awaited, matched on the members shown). {@code {{name}}} is
 * what the reader puts in: the test's people, and what earlier blocks captured.
 */
class IntegratorsGuideTest {
    private static final Path GUIDE = Path.of("..", "docs", "INTEGRATORS.md");
    private static final Pattern BLOCK = Pattern.compile("```(http|ws)([^\\n]*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final SelfSignedCertificate CERTIFICATE = SelfSignedCertificate.create("localhost");
    private static final Vertx RECEIVER_VERTX = Vertx.vertx();

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("webhooks.trustedCertificates", CERTIFICATE.certificatePath())
            .with("webhooks.allowPrivateAddresses", "true")
            .with("webhooks.dispatchEvery", "100ms");

    @AfterAll
    static void closeReceiver() {
        RECEIVER_VERTX.close().await();
    }

    @Test
    void everyExampleOfTheGuideRunsAsWritten() throws IOException {
        String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
        List<JsonObject> webhookDeliveries = new CopyOnWriteArrayList<>();
        HttpServer receiver = RECEIVER_VERTX.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(CERTIFICATE.keyCertOptions()))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    webhookDeliveries.add(new JsonObject(body.toString()));
                    request.response().setStatusCode(204).end();
                }))
                .listen(0, "127.0.0.1").await();

        Person patient = hub.people().patient("Patiente du guide");
        Person doctor = hub.people().professional("Dr Martin", "physician");
        hub.people().treats(doctor, patient);
        Map<String, String> values = new HashMap<>();
        values.put("adminToken", hub.people().admin("Référent du guide").accessToken());
        values.put("ins", patient.http().get("/api/v1/me").json().getString("ins"));
        values.put("patientId", patient.id().toString());
        values.put("patientToken", patient.accessToken());
        values.put("doctorToken", doctor.accessToken());
        values.put("doctorId", doctor.id().toString());
        values.put("today", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString());
        values.put("webhookUrl", "https://localhost:" + receiver.actualPort() + "/relais");

        Matcher blocks = BLOCK.matcher(guide);
        int ran = 0;
        while (blocks.find()) {
            Map<String, String> options = options(blocks.group(2));
            String text = blocks.group(3);
            if (blocks.group(1).equals("http")) {
                request(text, options, values);
            } else {
                socket(text, options, values);
            }
            ran++;
        }
        assertTrue(ran >= 15, "the guide's examples were found: " + ran);
        assertEquals(2L, hub.sql().count("SELECT count(*) FROM document WHERE via_name = 'LabConnect'"),
                "the lab's two deposits, each once (the REST one was not repeated by the socket one)");

        // the webhook the guide set receives what the lab does next
        Response next = hub.http().send("POST", "/api/v1/documents", Map.of("Authorization", "Bearer " + values.get("labToken")),
                "application/json", new JsonObject().put("ins", values.get("ins")).put("kind", "lab_result").put("title", "Bilan")
                        .put("careDate", values.get("today")).put("contentType", "application/pdf").put("data", "JVBERi0xLjcKJSVFT0YK")
                        .encode());
        assertEquals(201, next.status(), next.body());
        JsonObject delivered = fr.relais.testing.Eventually.await("the webhook's first delivery", Duration.ofSeconds(15),
                () -> webhookDeliveries.isEmpty() ? null : webhookDeliveries.get(0), found -> found != null);
        assertEquals("document.accepted", delivered.getString("type"));
        assertEquals(next.json().getString("id"), delivered.getJsonObject("data").getString("documentId"));
        receiver.close().await();
    }

    private static void request(String text, Map<String, String> options, Map<String, String> values) {
        String[] parts = fill(text, values).split("\\n\\n", 2);
        String[] head = parts[0].split("\\n");
        String[] requestLine = head[0].split(" ", 2);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < head.length; i++) {
            String[] header = head[i].split(":\\s*", 2);
            headers.put(header[0], header[1]);
        }
        if (options.containsKey("basic")) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    fill(options.get("basic"), values).getBytes(StandardCharsets.UTF_8)));
        }
        String body = parts.length > 1 ? parts[1].strip() : null;
        String contentType = headers.remove("Content-Type");
        Response answer = hub.http().send(requestLine[0], requestLine[1], headers, contentType, body);
        assertTrue(answer.status() / 100 == 2, head[0] + " → " + answer.status() + " " + answer.body());
        if (options.containsKey("capture")) {
            JsonObject json = answer.json();
            for (String capture : options.get("capture").split(",")) {
                String[] nameAndMember = capture.split(":");
                String[] memberAndParameter = nameAndMember[1].split("\\?", 2); // redirect?code: a parameter of an address
                assertTrue(json.containsKey(memberAndParameter[0]), head[0] + " answers " + memberAndParameter[0] + ": " + answer.body());
                String value = String.valueOf(json.getValue(memberAndParameter[0]));
                values.put(nameAndMember[0], memberAndParameter.length == 1 ? value : parameter(value, memberAndParameter[1]));
            }
        }
    }

    private static void socket(String text, Map<String, String> options, Map<String, String> values) {
        try (WsTestClient socket = WsTestClient.connect(hub.port(), fill(options.get("token"), values))) {
            List<JsonObject> received = new ArrayList<>();
            for (String line : fill(text, values).split("\\n")) {
                if (line.startsWith("> ")) {
                    socket.send(new JsonObject(line.substring(2)));
                } else if (line.startsWith("< ")) {
                    JsonObject expected = new JsonObject(line.substring(2));
                    received.add(fr.relais.testing.Eventually.await("a frame like " + expected, Duration.ofSeconds(15),
                            () -> socket.frames().stream().filter(frame -> matches(frame, expected)).findFirst().orElse(null),
                            found -> found != null));
                }
            }
        }
    }

    private static String parameter(String address, String name) {
        for (String pair : java.net.URI.create(address).getRawQuery().split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            if (nameAndValue[0].equals(name)) {
                return java.net.URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(address + " has no parameter " + name);
    }

    /** Every member of {@code expected} is in {@code frame} with the same value. */
    private static boolean matches(JsonObject frame, JsonObject expected) {
        return expected.fieldNames().stream().allMatch(name -> expected.getValue(name).equals(frame.getValue(name)));
    }

    private static String fill(String text, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            assertTrue(value != null, "the guide uses {{" + placeholder.group(1) + "}}, which nothing before it gives");
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        return placeholder.appendTail(filled).toString();
    }

    private static Map<String, String> options(String infoString) {
        Map<String, String> options = new HashMap<>();
        for (String option : infoString.trim().split("\\s+")) {
            int equals = option.indexOf('=');
            if (equals > 0) {
                options.put(option.substring(0, equals), option.substring(equals + 1));
            }
        }
        return options;
    }
}
