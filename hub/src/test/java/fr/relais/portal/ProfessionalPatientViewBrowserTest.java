package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Browser;
import fr.relais.testing.DatabaseScan;
import fr.relais.testing.Eventually;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The professional's view of a patient in a real Chromium (issue 20): what the doctor must know is on the page before
 * the form that writes to her, the documents are those the hub lets him see, every part he saw is named in her
 * access history, and a doctor without access opens the record in an emergency from the same screen.
 */
class ProfessionalPatientViewBrowserTest {
    private static final Duration EMERGENCY = Duration.ofMinutes(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create().with("policy.emergencyAccessDuration", "30m");



    private static void addToProfile(Person patient, String section, JsonObject entry) {
        assertEquals(201, patient.http().post("/api/v1/patients/" + patient.id() + "/profile/" + section, entry).status());
    }

    private static String deposit(Person author, Person patient, String kind, String title) {
        JsonObject created = author.http().post("/api/v1/documents", new JsonObject().put("patientId", patient.id().toString())
                .put("kind", kind).put("title", title)
                .put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf")
                .put("data", Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)))).json();
        return created.getString("id");
    }

    private static JsonArray accessHistory(Person patient) {
        return patient.http().get("/api/v1/me/access-history?limit=100").json().getJsonArray("items");
    }

    /** The patient's history entries by {@code actor}, as {@code what}/{@code action} pairs. */
    private static List<String> seenBy(Person patient, Person actor) {
        return accessHistory(patient).stream().map(JsonObject.class::cast)
                .filter(item -> actor.id().toString().equals(item.getString("actorId")))
                .map(item -> item.getString("what") + "/" + item.getString("action")).toList();
    }

    /** Whether the element {@code first} comes before {@code then} in the page (document order). */
    private static boolean before(Browser page, String first, String then) {
        return Boolean.parseBoolean(page.evaluate("""
                const a = document.querySelector('%s'), b = document.querySelector('%s');
                return String(!!a && !!b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);"""
                .formatted(first, then)));
    }

    @Test
    void theDoctorSeesTheAllergyBeforeWriting() {
        Person patient = hub.people().patient("Jeanne Moulin");
        addToProfile(patient, "conditions", new JsonObject().put("name", "Asthme"));
        addToProfile(patient, "allergies", new JsonObject().put("substance", "Pollen de bouleau").put("severity", "mild"));
        addToProfile(patient, "allergies", new JsonObject().put("substance", "Pénicilline").put("reaction", "œdème de Quincke")
                .put("severity", "severe"));
        Person doctor = hub.people().physicianOf(patient, "Dr Perrin");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.clickLink("Jeanne Moulin");
            page.awaitText("#chart-allergies li[data-severity=severe]", "Pénicilline (œdème de Quincke) — gravité : sévère");
            page.find("#write-form");
            assertTrue(before(page, "#chart-allergies", "#write-form"), "the allergy comes before the form that writes to her");
            assertTrue(before(page, "#chart-allergies", "#chart-conditions"), "allergies come first in the profile");
            assertEquals("Pénicilline", page.evaluate("return document.querySelector('#chart-allergies li strong').textContent"),
                    "the severe allergy on top");
            page.awaitText("#chart-conditions", "Asthme");
            page.screenshot("professional-patient-chart");
            assertEquals(List.of(), page.accessibilityProblems(), "the professional's view of a patient");
        }

        // each part the doctor saw is named in her history, through the API and on her access screen
        List<String> seen = seenBy(patient, doctor);
        for (String part : List.of("identity/record.open", "profile/profile.read", "documents/record.list",
                "appointments/appointments.list", "conversations/conversations.list")) {
            assertTrue(seen.contains(part), part + " in " + seen);
        }
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.go("#/access");
            page.awaitText("#access-history li[data-what=profile]", "Dr Perrin — a consulté votre profil médical");
            page.awaitText("#access-history li[data-what=documents]", "a consulté la liste de vos documents");
            page.awaitText("#access-history li[data-what=appointments]", "a consulté vos rendez-vous ensemble");
            page.awaitText("#access-history li[data-what=conversations]", "a consulté la liste de vos conversations ensemble");
            page.screenshot("patient-access-history-what");
            page.click("#lang");
            page.awaitText("#access-history li[data-what=profile]", "Dr Perrin — looked at your medical profile");
            page.click("#lang");
        }
    }

    @Test
    void theDocumentsListShownToTheDoctorLeavesOutWhatThePatientHidAndHerHistoryNamesTheDocumentHeOpened() {
        Person patient = hub.people().patient("Lucie Garnier");
        Person colleague = hub.people().professional("Dr Colin", "physician"); // deposits without reading: writing is not reading
        String shown = deposit(colleague, patient, "lab_result", "Bilan lipidique");
        String hidden = deposit(colleague, patient, "imaging_report", "IRM pelvienne");
        assertEquals(200, patient.http().put("/api/v1/documents/" + hidden + "/hidden", new JsonObject().put("hidden", true)).status());
        Person doctor = hub.people().physicianOf(patient, "Dr Marchand");
        addToProfile(patient, "allergies", new JsonObject().put("substance", "Latex").put("severity", "moderate"));
        JsonObject conversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi du bilan")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Bonjour"))).json();
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.go("#/patients/" + patient.id());
            page.awaitText("#chart-document-list", "Bilan lipidique");
            page.awaitText("#chart-document-list", "Résultat de laboratoire");
            page.awaitText("#chart-document-list", "Dr Colin");
            assertFalse(page.evaluate("return document.getElementById('chart-documents').textContent").contains("IRM pelvienne"),
                    "a document the patient hid is not shown to him");
            page.awaitText("#chart-conversation-list", "Suivi du bilan");
            assertEquals("#/messages/" + conversation.getString("conversationId"),
                    page.evaluate("return document.querySelector('#chart-conversation-list a').getAttribute('href')"));

            // the file is fetched as on the patient's own page; the browser's saving of it is left out (it would
            // leave a file in the home folder), and the name it would be saved under is kept to be checked
            page.run("window.saved = []; HTMLAnchorElement.prototype.click = function () { window.saved.push(this.download); };");
            page.click("#chart-document-list li[data-document='" + shown + "'] button.open-document");
            Eventually.await("the download", Duration.ofSeconds(10), () -> page.evaluate("return window.saved.join()"),
                    "Bilan lipidique"::equals);
        }

        JsonObject opened = accessHistory(patient).stream().map(JsonObject.class::cast)
                .filter(item -> "document".equals(item.getString("what"))).findFirst().orElseThrow();
        assertEquals(shown, opened.getString("documentId"));
        assertEquals("Bilan lipidique", opened.getString("documentTitle"), "the patient reads the title of what was opened");
        assertEquals(doctor.id().toString(), opened.getString("actorId"));
        List<DatabaseScan.Hit> stored = DatabaseScan.of(hub.hub().database()).find(List.of("Bilan lipidique", "IRM pelvienne"));
        assertEquals(List.of(), stored, "no title in clear anywhere (history, events, audit)");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.go("#/access");
            page.awaitText("#access-history li[data-what=document]", "Dr Marchand — a ouvert le document « Bilan lipidique »");

            // once she deleted it, the history still says a document was opened, without its title
            assertEquals(204, patient.http().delete("/api/v1/documents/" + shown).status());
            assertNull(accessHistory(patient).stream().map(JsonObject.class::cast)
                    .filter(item -> "document".equals(item.getString("what"))).findFirst().orElseThrow().getString("documentTitle"));
            page.go("#/messages");
            page.go("#/access");
            page.awaitText("#access-history li[data-what=document]", "a ouvert un document que vous avez supprimé depuis");
        }
    }

    @Test
    void aDoctorWithoutAccessOpensTheRecordInAnEmergencyFromThePageWhichSaysUntilWhen() {
        Person patient = hub.people().patient("Marc Henry");
        addToProfile(patient, "allergies", new JsonObject().put("substance", "Produits iodés").put("severity", "severe"));
        String ins = String.valueOf(hub.sql().rows("SELECT ins FROM patient WHERE account_id = ?", patient.id()).get(0).get("ins"));
        Person doctor = hub.people().professional("Dr Urgence", "physician");
        String reason = "Patient inconscient admis aux urgences";
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.go("#/patients/" + patient.id());
            page.awaitText("main h1", "Dossier non accessible");
            page.awaitText("#emergency-warnings", "La personne en est informée aussitôt.");
            assertEquals(List.of(), page.accessibilityProblems(), "a patient's page without access, with break-glass");
            page.type("#emergency-form input[name=ins]", ins);
            page.type("#emergency-form textarea[name=reason]", reason);
            page.click("#emergency-form input[name=confirm]");
            page.click("#emergency-form button[type=submit]");
            page.awaitText("#emergency-notice", "Accès en urgence");
            page.awaitText("#emergency-notice", "prend fin le");
            page.awaitText("#chart-allergies", "Produits iodés");
            page.screenshot("professional-patient-emergency");
            assertEquals(List.of(), page.accessibilityProblems(), "a patient's page by emergency access");

            JsonObject identity = doctor.http().get("/api/v1/patients/" + patient.id()).json().getJsonObject("access");
            assertEquals(true, identity.getBoolean("emergency"));
            Duration off = Duration.between(hub.clock().instant().plus(EMERGENCY), Instant.parse(identity.getString("expiresAt")));
            assertTrue(off.abs().compareTo(Duration.ofSeconds(1)) < 0, "it ends when the configured time is over: " + off);
            List<JsonObject> emergencies = accessHistory(patient).stream().map(JsonObject.class::cast)
                    .filter(item -> item.getBoolean("emergency") && "profile".equals(item.getString("what"))).toList();
            assertEquals(1, emergencies.size(), accessHistory(patient).encode());
            assertEquals(reason, emergencies.get(0).getString("reason"));

            hub.clock().advance(EMERGENCY.plusMinutes(1)); // the access is over: the page is closed to him again
            page.go("#/patients");
            page.go("#/patients/" + patient.id());
            page.awaitText("main h1", "Dossier non accessible");
            assertFalse(page.pageText().contains("Produits iodés"), page.pageText());
        }
    }

    @Test
    void aSectionTheProfessionMayNotReadSaysSoAndABlockedProfessionalFindsThePageClosed() {
        Person patient = hub.people().patient("Paul Renaud");
        addToProfile(patient, "allergies", new JsonObject().put("substance", "Aspirine").put("severity", "moderate"));
        addToProfile(patient, "conditions", new JsonObject().put("name", "Diabète de type 2"));
        Person pharmacist = hub.people().professional("Mme Pharma", "pharmacist"); // the matrix opens no conditions to her
        hub.people().treats(pharmacist, patient);
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, pharmacist);
            page.go("#/patients/" + patient.id());
            page.awaitText("#chart-allergies", "Aspirine");
            page.awaitText("#chart-profile", "Votre profession ne donne pas accès à cette rubrique.");
            assertFalse(page.pageText().contains("Diabète"), page.pageText());
            hub.people().blocks(patient, pharmacist); // blocked while the page is open: the next look finds it closed
            page.go("#/patients");
            page.go("#/patients/" + patient.id());
            page.awaitText("main h1", "Dossier non accessible");
            page.click("#lang");
            page.awaitText("main h1", "Record not open to you");
            page.click("#lang");
        }
        Stream.of("appointments", "conversations").forEach(part -> assertEquals(404,
                pharmacist.http().get("/api/v1/patients/" + patient.id() + "/" + part).status(), part + " refused once blocked"));
    }
}
