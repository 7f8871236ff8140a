package fr.relais.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.CapturedLogs;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.PlaintextSearch;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox (issue 20): each conversation of the list says with whom, when its last message came and how it
 * starts, opened for the participant who asks and stored nowhere in clear; a patient attaches files to replies
 * with the professional's checks.
 */
class InboxListTest {
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    @Order(1)
    static final CapturedLogs logs = CapturedLogs.atDebug();

    @RegisterExtension
    @Order(2)
    static final TestHub hub = TestHub.create().with("messaging.maxAttachmentSize", "2KiB");

    @Test
    void twoThreadsWithTheSameSubjectAreToldApartByCorrespondentAndPreviewOpenedForParticipantsOnly() {
        Person patient = hub.people().patient("Léa Fontaine");
        Person roux = hub.people().professional("Dr Amélie Roux", "physician");
        Person lefevre = hub.people().professional("Dr Bruno Lefèvre", "physician");
        hub.people().treats(roux, patient);
        hub.people().treats(lefevre, patient);
        String long_ = "Ordonnance zqxroux renouvelée pour trois mois,   pensez à\nprendre rendez-vous avant la fin du traitement "
                + "pour un contrôle de la tension et un bilan sanguin complet wqtailroux.";
        assertTrue(long_.indexOf("wqtailroux") > 120, "the end of the text lies past the preview");
        String fromRoux = start(roux, patient, "Renouvellement", "Premier message de Roux");
        JsonObject last = send(roux, fromRoux, long_);
        String fromLefevre = start(lefevre, patient, "Renouvellement", "Ordonnance vkylefevre prête à la pharmacie.");

        JsonArray inbox = list(patient);
        assertEquals(2, inbox.size());
        JsonObject rouxItem = item(inbox, fromRoux);
        JsonObject lefevreItem = item(inbox, fromLefevre);
        assertEquals(rouxItem.getString("subject"), lefevreItem.getString("subject"), "the same subject");
        assertEquals(List.of("Dr Amélie Roux"), others(rouxItem, patient));
        assertEquals(List.of("Dr Bruno Lefèvre"), others(lefevreItem, patient));

        JsonObject rouxLast = rouxItem.getJsonObject("lastMessage");
        assertEquals(last.getString("id"), rouxLast.getString("id"));
        assertEquals(last.getString("createdAt"), rouxLast.getString("at"));
        assertEquals(roux.id().toString(), rouxLast.getString("senderId"));
        assertEquals("Dr Amélie Roux", rouxLast.getString("senderName"));
        String preview = rouxLast.getString("preview");
        assertTrue(preview.startsWith("Ordonnance zqxroux renouvelée pour trois mois, pensez à prendre rendez-vous"),
                "the start of the last message, on one line: " + preview);
        assertTrue(preview.length() <= MessagingQueries.PREVIEW_LENGTH + 1 && preview.endsWith("…"), preview);
        assertFalse(preview.contains("wqtailroux"), "only the start");
        assertEquals("Ordonnance vkylefevre prête à la pharmacie.", lefevreItem.getJsonObject("lastMessage").getString("preview"));
        assertNull(rouxLast.getString("via"));

        Response reply = patient.http().post("/api/v1/conversations/" + fromRoux + "/messages",
                new JsonObject().put("body", "Merci, je prends rendez-vous jxpatient."));
        assertEquals(201, reply.status(), reply.body());
        JsonArray rouxInbox = list(roux);
        assertEquals(1, rouxInbox.size(), "Dr Roux lists his conversation only");
        JsonObject seenByRoux = item(rouxInbox, fromRoux);
        assertEquals(List.of("Léa Fontaine"), others(seenByRoux, roux));
        assertEquals("Merci, je prends rendez-vous jxpatient.", seenByRoux.getJsonObject("lastMessage").getString("preview"));
        assertEquals("Léa Fontaine", seenByRoux.getJsonObject("lastMessage").getString("senderName"));

        Person stranger = hub.people().professional("Dr Inconnu", "physician");
        Person otherPatient = hub.people().patient("Autre Patiente");
        for (Person wrong : List.of(lefevre, stranger, otherPatient)) {
            Response page = wrong.http().get("/api/v1/conversations");
            assertEquals(200, page.status());
            assertFalse(page.body().contains(fromRoux) || page.body().contains("jxpatient") || page.body().contains("zqxroux"),
                    "a non-participant learns nothing of the conversation: " + page.body());
        }

        List<String> written = List.of("zqxroux", "wqtailroux", "vkylefevre", "jxpatient", preview.substring(0, 40));
        assertEquals(List.of(), new PlaintextSearch(hub, logs).find(written), "no preview or body in clear");
    }

    @Test
    void aMessageSentThroughASystemNamesItInTheList() {
        Person patient = hub.people().patient("Hugo Martin");
        Person doctor = hub.people().professional("Dr Claire Petit", "physician");
        String conversation = hub.people().conversation(doctor, patient);
        Person software = hub.people().systemOf(hub.people().organisation("software_vendor", "Éditeur"), "Cabinet Pro",
                "messages:write");
        String clientId = software.http().get("/api/v1/me").json().getString("clientId");
        assertEquals(201, doctor.http().post("/api/v1/me/delegations", new JsonObject().put("clientId", clientId)).status());
        assertEquals(201, software.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject()
                .put("body", "Votre ordonnance est prête.").put("onBehalfOf", doctor.id().toString())).status());

        JsonObject last = item(list(patient), conversation).getJsonObject("lastMessage");
        assertEquals("Dr Claire Petit", last.getString("senderName"));
        assertEquals("Cabinet Pro", last.getString("via"));
        assertEquals("Votre ordonnance est prête.", last.getString("preview"));
    }

    @Test
    void aPatientAttachesAFileToAReplyWithTheProfessionalsChecksAndAStrangerCannot() throws Exception {
        Person patient = hub.people().patient("Sonia Garnier");
        Person doctor = hub.people().professional("Dr Pièces", "physician");
        String conversation = hub.people().conversation(doctor, patient);
        Response sent = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                withFile("Voici ma prise de sang", "analyse.pdf", "application/pdf", PDF));
        assertEquals(201, sent.status(), sent.body());
        JsonObject described = sent.json().getJsonArray("attachments").getJsonObject(0);
        assertEquals("analyse.pdf", described.getString("filename"));

        JsonObject seen = doctor.http().get("/api/v1/conversations/" + conversation + "/messages").json()
                .getJsonArray("items").getJsonObject(1);
        assertEquals("analyse.pdf", seen.getJsonArray("attachments").getJsonObject(0).getString("filename"));
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + hub.port() + "/api/v1/conversations/" + conversation + "/attachments/" + described.getString("id")))
                .header("Authorization", "Bearer " + doctor.accessToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals(new String(PDF, StandardCharsets.US_ASCII), new String(download.body(), StandardCharsets.US_ASCII));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM attachment WHERE position(convert_to('%PDF', 'UTF8') in content_sealed) > 0"
                + " OR position(convert_to('analyse.pdf', 'UTF8') in filename_sealed) > 0"), "sealed");

        Response lying = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                withFile("x", "photo.png", "image/png", PDF));
        assertEquals(415, lying.status());
        assertEquals("attachment_type_mismatch", lying.json().getString("code"));
        Response script = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                withFile("x", "a.pdf", "application/pdf", "<script>".getBytes(StandardCharsets.UTF_8)));
        assertEquals("attachment_type_refused", script.json().getString("code"));
        byte[] big = new byte[3000];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        Response large = patient.http().post("/api/v1/conversations/" + conversation + "/messages",
                withFile("x", "big.pdf", "application/pdf", big));
        assertEquals(413, large.status());
        assertEquals("attachment_too_large", large.json().getString("code"));

        Person otherPatient = hub.people().patient("Pas Concernée");
        Response intrusion = otherPatient.http().post("/api/v1/conversations/" + conversation + "/messages",
                withFile("intrusion", "virus.pdf", "application/pdf", PDF));
        assertEquals(404, intrusion.status(), "a patient who is not a participant attaches nothing");
        assertEquals(1, hub.sql().count("SELECT count(*) FROM attachment WHERE conversation_id = ?", java.util.UUID.fromString(conversation)));
    }

    private static JsonObject withFile(String body, String filename, String type, byte[] content) {
        return new JsonObject().put("body", body).put("attachments", new JsonArray().add(new JsonObject()
                .put("filename", filename).put("contentType", type).put("data", Base64.getEncoder().encodeToString(content))));
    }

    private static String start(Person doctor, Person patient, String subject, String body) {
        Response started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", body)));
        assertEquals(201, started.status(), started.body());
        return started.json().getString("conversationId");
    }

    private static JsonObject send(Person sender, String conversation, String body) {
        Response sent = sender.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject().put("body", body));
        assertEquals(201, sent.status(), sent.body());
        return sent.json();
    }

    private static JsonArray list(Person person) {
        Response page = person.http().get("/api/v1/conversations");
        assertEquals(200, page.status(), page.body());
        return page.json().getJsonArray("items");
    }

    private static JsonObject item(JsonArray items, String conversation) {
        return items.stream().map(JsonObject.class::cast).filter(c -> conversation.equals(c.getString("id"))).findFirst()
                .orElseThrow(() -> new AssertionError(conversation + " not in " + items.encode()));
    }

    /** The names of the conversation's participants other than {@code me}. */
    private static List<String> others(JsonObject conversation, Person me) {
        return conversation.getJsonArray("participants").stream().map(JsonObject.class::cast)
                .filter(p -> !me.id().toString().equals(p.getString("id"))).map(p -> p.getString("displayName"))
                .collect(Collectors.toList());
    }
}
