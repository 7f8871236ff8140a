package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.Browser;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inbox in a real Chromium (issue 20): threads that share a subject are told apart by who wrote and how the
 * last message starts, with its date as people write it; the search narrows the list; a patient attaches a file to a
 * reply and the doctor sees it.
 */
class InboxBrowserTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @RegisterExtension
    static final TestHub hub = TestHub.create();



    /** Starts a conversation; the instant its first message was written, as the hub answered it. */
    private static Instant start(Person doctor, Person patient, String subject, String body) {
        Response started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", body)));
        assertEquals(201, started.status(), started.body());
        return Instant.parse(started.json().getString("createdAt"));
    }

    /** How many conversations the list shows. */
    private static void awaitListed(Browser page, int count) {
        Eventually.await(count + " conversations listed", DEADLINE,
                () -> page.evaluate("return String(document.querySelectorAll('#conversations li').length)"),
                shown -> shown.equals(String.valueOf(count)));
    }

    @Test
    void twoThreadsWithTheSameSubjectFromTwoDoctorsAreToldApartByCorrespondentDateAndPreview() {
        Person patient = hub.people().patient("Léa Fontaine");
        Person roux = hub.people().physicianOf(patient, "Dr Amélie Roux");
        Person lefevre = hub.people().physicianOf(patient, "Dr Bruno Lefèvre");
        Instant fromRoux = start(roux, patient, "Renouvellement", "Ordonnance renouvelée pour trois mois, passez à la pharmacie.");
        start(lefevre, patient, "Renouvellement", "Pensez au bilan sanguin avant notre prochain rendez-vous.");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.go("#/messages");
            awaitListed(page, 2);
            page.awaitText("#conversations", "Avec Dr Amélie Roux");
            page.awaitText("#conversations", "Dr Amélie Roux : Ordonnance renouvelée pour trois mois");
            page.awaitText("#conversations", "Avec Dr Bruno Lefèvre");
            page.awaitText("#conversations", "Dr Bruno Lefèvre : Pensez au bilan sanguin");
            page.awaitText("#conversations", "Avec Dr Amélie Roux — " + DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm",
                    Locale.FRENCH).withZone(TestClock.PARIS).format(fromRoux));
            page.screenshot("patient-inbox");
            assertEquals(List.of(), page.accessibilityProblems(), "the inbox");

            page.click("#lang");
            page.awaitText("#conversations", "With Dr Amélie Roux — " + DateTimeFormatter.ofPattern("d MMMM yyyy 'at' HH:mm",
                    Locale.UK).withZone(TestClock.PARIS).format(fromRoux));
            page.awaitText("#conversations", "Dr Bruno Lefèvre: Pensez au bilan sanguin");
            page.click("#lang");
        }
    }

    @Test
    void theSearchNarrowsTheListBySubjectCorrespondentAndPreview() {
        Person patient = hub.people().patient("Marc Girard");
        Person roux = hub.people().physicianOf(patient, "Dr Hélène Roux");
        Person lefevre = hub.people().physicianOf(patient, "Dr Paul Lefèvre");
        start(roux, patient, "Renouvellement", "Votre ordonnance est prête.");
        start(lefevre, patient, "Renouvellement", "Votre ordonnance aussi.");
        start(roux, patient, "Vaccin", "Rappel du tétanos à prévoir cet hiver.");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.go("#/messages");
            awaitListed(page, 3);

            page.type("#conversation-search", "lefevre"); // a correspondent, typed without the accent
            awaitListed(page, 1);
            page.awaitText("#conversations", "Avec Dr Paul Lefèvre");
            page.awaitText("#conversations-status", "1 conversation(s) sur 3 chargée(s)");

            page.type("#conversation-search", "tétanos"); // the start of the last message
            awaitListed(page, 1);
            page.awaitText("#conversations", "Vaccin");

            page.type("#conversation-search", "renouvellement"); // the subject
            awaitListed(page, 2);
            assertFalse(page.find("#conversations").getText().contains("Vaccin"));

            page.type("#conversation-search", "radiographie");
            awaitListed(page, 0);
            page.awaitText("#conversations-status", "Aucune des 3 conversations chargées ne correspond.");
            assertEquals(List.of(), page.accessibilityProblems(), "the inbox with no match");
        }
    }

    @Test
    void aPatientRepliesWithAnAttachedPdfAndTheDoctorsPageShowsTheAttachment() throws Exception {
        Person patient = hub.people().patient("Sonia Garnier");
        Person doctor = hub.people().professional("Dr Marie Blanc", "physician");
        String conversation = hub.people().conversation(doctor, patient);
        Path pdf = Files.write(Files.createTempFile("prise-de-sang", ".pdf"),
                ("%PDF-1.4\n" + "x".repeat(200) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII));
        try (Browser patientPage = Browser.open(hub.port(), hub.clock()); Browser doctorPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(doctorPage, doctor);
            doctorPage.go("#/messages/" + conversation);
            doctorPage.awaitText("#thread", "Premier message");

            hub.people().logIn(patientPage, patient);
            patientPage.go("#/messages/" + conversation);
            patientPage.awaitText("#thread", "Premier message");
            patientPage.type("#reply-form textarea[name=body]", "Voici ma prise de sang.");
            patientPage.attach("#reply-form input[name=attachment]", pdf);
            patientPage.click("#reply-form button[type=submit]");
            patientPage.awaitText("#thread", "Télécharger " + pdf.getFileName());

            doctorPage.awaitText("#thread", "Voici ma prise de sang."); // live
            doctorPage.awaitText("#thread", "Télécharger " + pdf.getFileName());
            doctorPage.go("#/messages");
            doctorPage.awaitText("#conversations", "Sonia Garnier : Voici ma prise de sang.");
            JsonObject seen = doctor.http().get("/api/v1/conversations/" + conversation + "/messages").json()
                    .getJsonArray("items").getJsonObject(1);
            assertEquals(pdf.getFileName().toString(), seen.getJsonArray("attachments").getJsonObject(0).getString("filename"));
        }
    }
}
