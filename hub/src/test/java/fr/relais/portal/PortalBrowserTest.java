package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Browser;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.CuttableProxy;
import fr.relais.testing.HttpTestClient;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The web portal in a real headless Chromium: two people in two browsers, live notifications, a network cut. */
class PortalBrowserTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();



    @Test
    void aProfessionalsMessageAndDepositAppearOnThePatientsOpenPageWithoutReload() throws Exception {
        Person patient = hub.people().patient("Camille Martin");
        Person doctor = hub.people().physicianOf(patient, "Dr Durand");
        Path pdf = Files.write(Files.createTempFile("bilan", ".pdf"),
                ("%PDF-1.4\n" + "x".repeat(200) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII));
        try (Browser patientPage = Browser.open(hub.port(), hub.clock()); Browser doctorPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(patientPage, patient);
            patientPage.awaitText("#bell-count", "0");
            patientPage.screenshot("patient-messages-empty");

            hub.people().logIn(doctorPage, doctor);
            doctorPage.clickLink("Camille Martin");
            doctorPage.type("#write-form input[name=subject]", "Vos résultats");
            doctorPage.type("#write-form textarea[name=body]", "Bonjour, vos résultats sont arrivés et sont normaux.");
            doctorPage.attach("#write-form input[name=attachment]", pdf);
            doctorPage.click("#write-form button[type=submit]");
            doctorPage.awaitText("#thread", "vos résultats sont arrivés");
            String conversation = doctorPage.hash();

            doctorPage.go("#/patients/" + patient.id());
            doctorPage.select("#deposit-form select[name=kind]", "lab_result");
            doctorPage.type("#deposit-form input[name=title]", "Bilan sanguin");
            doctorPage.attach("#deposit-form input[name=file]", pdf);
            doctorPage.click("#deposit-form button[type=submit]");
            doctorPage.awaitText("#deposit-form", "Document déposé.");
            doctorPage.screenshot("professional-patient");
            doctorPage.go(conversation); // the doctor watches the conversation while the patient reads it
            doctorPage.awaitText("#thread", "vos résultats sont arrivés");
            assertFalse(doctorPage.pageText().contains("Lu par le destinataire"), "not read yet");

            // the patient's page was never reloaded: the bell counts the doctor's first look at the record, the
            // message and the document, and the list names them
            patientPage.awaitText("#bell-count", "3");
            patientPage.awaitText("#conversations", "Vos résultats");
            patientPage.click("#bell");
            patientPage.awaitText("#notification-list", "Dr Durand a ouvert votre dossier (nom et INS)"); // what he saw
            patientPage.awaitText("#notification-list", "Nouveau message");
            patientPage.awaitText("#notification-list", "Nouveau document : Résultat de laboratoire (Dr Durand)");
            patientPage.screenshot("patient-notifications");

            patientPage.clickLink("Vos résultats");
            patientPage.awaitText("#thread", "vos résultats sont arrivés et sont normaux");
            doctorPage.awaitText("#thread", "Lu par le destinataire"); // the read receipt, live
            doctorPage.screenshot("professional-conversation");
            patientPage.type("#reply-form textarea[name=body]", "Merci docteur.");
            patientPage.click("#reply-form button[type=submit]");
            patientPage.awaitText("#thread", "Merci docteur.");
            patientPage.awaitText("#thread", "Télécharger " + pdf.getFileName()); // the doctor's attachment
            patientPage.screenshot("patient-conversation");
            doctorPage.awaitText("#thread", "Merci docteur."); // the reply, live
            doctorPage.click("#close-conversation");
            patientPage.awaitText("main", "Conversation close"); // live: the reply form is gone
            assertTrue(patientPage.pageText().contains("Conversation close") && !patientPage.pageText().contains("Répondre"),
                    patientPage.pageText());

            patientPage.go("#/documents");
            patientPage.awaitText("#documents", "Bilan sanguin");
            patientPage.screenshot("patient-documents");
        }
    }

    @Test
    void aPatientSeesWhichSystemSentADocumentBlocksItsOrganisationAndDeletesTheDocument() {
        Person patient = hub.people().patient("Louise Martin");
        Person lab = hub.people().systemOf(hub.people().organisation("laboratory", "Laboratoire Cerballiance"), "LabLink",
                "documents:write", "stream:read");
        JsonObject deposit = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Ferritine").put("careDate", hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().toString())
                .put("contentType", "application/pdf")
                .put("data", java.util.Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(201, lab.http().post("/api/v1/documents", deposit).status());
        try (Browser patientPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(patientPage, patient);
            patientPage.go("#/documents");
            patientPage.awaitText("#documents", "Laboratoire Cerballiance (via LabLink)");
            patientPage.screenshot("patient-document-from-a-system");
            patientPage.click("#documents .block-system");
            patientPage.acceptDialog();
            patientPage.go("#/settings");
            patientPage.awaitText("#blocked-systems", "Laboratoire Cerballiance");
            assertEquals(404, lab.http().post("/api/v1/documents", deposit).status(), "blocked from the portal");

            patientPage.go("#/documents");
            patientPage.click("#documents .delete-document");
            patientPage.acceptDialog();
            patientPage.awaitText("main", "Aucun document.");

            patientPage.go("#/settings");
            patientPage.click("#lang");
            patientPage.awaitText("main", "Blocked organisations and software");
            patientPage.resize(390, 844);
            patientPage.run("document.getElementById('blocked-systems').scrollIntoView()");
            patientPage.screenshot("phone-patient-blocked-systems-english");
        }
    }

    @Test
    void aPatientStartsFromTheActivationEmailAloneFindsTheirDoctorByNameAndAnswersTheirFirstMessage() throws Exception {
        String email = "lou.premier@example.fr";
        Person admin = hub.people().admin("Accueil CPAM");
        HttpTestClient.Response created = admin.http().post("/api/v1/admin/patients", new JsonObject().put("ins", People.insNumber())
                .put("email", email).put("displayName", "Lou Premier"));
        assertEquals(201, created.status(), created.body());
        String patientId = created.json().getString("id");
        Person doctor = hub.people().professional("Dr Aubert", "physician");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.visit(activationLink(email));
            page.find("#activation-form");
            assertTrue(page.pageText().contains("De 12 à 256 caractères"), "the password's rules, before it is refused");
            assertEquals(List.of(), page.accessibilityProblems(), "the activation page");
            page.screenshot("patient-activation");
            page.type("#activation-form input[name=password]", People.PASSWORD);
            page.type("#activation-form input[name=password-again]", People.PASSWORD + "!");
            page.click("#activation-form button[type=submit]");
            page.awaitText("#activation-form .error", "Les deux mots de passe ne sont pas les mêmes.");
            page.setValue("#activation-form input[name=password-again]", People.PASSWORD);
            page.click("#activation-form button[type=submit]");
            page.awaitText(".notice", "Votre compte est activé");
            assertFalse(page.address().contains("code="), "the spent code leaves the address: " + page.address());
            assertEquals(email, page.find("#login-form input[name=email]").getDomProperty("value"));

            page.type("#login-form input[name=password]", People.PASSWORD);
            page.click("#login-form button[type=submit]");
            page.find("#code-form");
            hub.people().awaitCode(email); // the first code: say it never came
            page.click("details.code-help summary");
            page.click("#resend-code");
            page.awaitText("details.code-help", "Un nouveau code vous a été envoyé");
            page.screenshot("patient-login-code-resent");
            page.type("#code-form input[name=code]", hub.people().awaitCode(email));
            page.click("#code-form button[type=submit]");
            page.awaitText("#status", "En direct");

            page.clickLink("Mes professionnels"); // by the navigation: the link's host is the page's origin now
            page.type("#declare-form input[name=query]", "auber"); // by name: she does not know the RPPS number
            page.click("#declare-form button[type=submit]");
            page.awaitText("#found-professionals", "Dr Aubert");
            page.click("#found-professionals li button");
            page.awaitText("#care-team", "Dr Aubert");
            doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Bienvenue")
                    .put("participants", new JsonArray().add(patientId))
                    .put("message", new JsonObject().put("body", "Bonjour, je suis votre médecin traitant.")));
            page.awaitText("#bell-count", "1");
            page.clickLink("Messagerie");
            page.clickLink("Bienvenue");
            page.awaitText("#thread", "je suis votre médecin traitant");
            page.type("#reply-form textarea[name=body]", "Merci, à bientôt.");
            page.click("#reply-form button[type=submit]");
            page.awaitText("#thread", "Merci, à bientôt.");
            String thread = page.hash().replace("#/messages/", "");
            assertTrue(doctor.http().get("/api/v1/conversations/" + thread + "/messages").body().contains("Merci, à bientôt."),
                    "her first message reached the doctor");
        }
    }

    @Test
    void aPatientOpposesTheCreationOfTheirSpaceFromTheActivationLink() throws Exception {
        String email = "sans.espace@example.fr";
        String ins = People.insNumber();
        Person admin = hub.people().admin("Accueil CPAM bis");
        JsonObject patient = new JsonObject().put("ins", ins).put("email", email).put("displayName", "Noé Refus");
        assertEquals(201, admin.http().post("/api/v1/admin/patients", patient).status());
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.visit(activationLink(email));
            page.click("details.opposition summary");
            page.click("#opposition-form button[type=submit]"); // the box is not ticked: the browser holds the form
            page.find("#activation-form");
            page.click("#opposition-form input[name=understood]");
            page.click("#opposition-form button[type=submit]");
            page.awaitText("main h1", "Opposition enregistrée");
        }
        HttpTestClient.Response again = admin.http().post("/api/v1/admin/patients", patient);
        assertEquals("space_opposed", again.json().getString("code"), again.body());
    }

    /** The link of the activation email sent to {@code email}, decoded as a mail program shows it. */
    private static String activationLink(String email) throws Exception {
        jakarta.mail.internet.MimeMessage activation = fr.relais.testing.Eventually.await("the activation email",
                java.time.Duration.ofSeconds(15), () -> hub.mail().getReceivedMessagesForDomain(email), found -> found.length == 1)[0];
        String text = (String) ((jakarta.mail.Multipart) activation.getContent()).getBodyPart(0).getContent();
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("http://\\S+/activate#code=\\S+").matcher(text);
        assertTrue(link.find(), text);
        return link.group();
    }

    @Test
    void aProfessionalAsksForAccessAndThePatientAcceptsItInThePortalLive() {
        Person patient = hub.people().patient("Inès Garnier");
        Person doctor = hub.people().professional("Dr Lemoine", "physician");
        String ins = patient.http().get("/api/v1/me").json().getString("ins");
        try (Browser patientPage = Browser.open(hub.port(), hub.clock()); Browser doctorPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(patientPage, patient);
            hub.people().logIn(doctorPage, doctor);
            doctorPage.awaitText("main", "Aucun patient suivi.");
            doctorPage.type("#care-request-form input[name=ins]", ins);
            doctorPage.click("#care-request-form button[type=submit]");
            doctorPage.awaitText("#my-care-requests", "Demande en attente");

            patientPage.awaitText("#bell-count", "1"); // live: the request rings the patient's bell
            patientPage.go("#/care");
            patientPage.awaitText("#care-requests", "Dr Lemoine — Médecin");
            patientPage.screenshot("patient-care-requests");
            patientPage.click("#care-requests button.primary");
            patientPage.awaitText("#care-team", "Dr Lemoine");

            doctorPage.awaitText("#patients", "Inès Garnier"); // live: the acceptance reaches the doctor's open page
            doctorPage.clickLink("Inès Garnier");
            doctorPage.awaitText("main", "Écrire");
        }
        assertEquals(200, doctor.http().get("/api/v1/patients/" + patient.id() + "/profile").status());
    }

    @Test
    @ClockSensitive
    void agendaProfileAccessHistoryAndSettingsThenClosingTheSpace() {
        Person patient = hub.people().patient("Jeanne Roux");
        Person doctor = hub.people().physicianOf(patient, "Dr Fabre");
        String rpps = doctor.http().get("/api/v1/me").json().getString("rpps");
        try (Browser patientPage = Browser.open(hub.port(), hub.clock()); Browser doctorPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(patientPage, patient);
            patientPage.go("#/agenda");
            patientPage.awaitText("main", "Aucun rendez-vous à venir.");

            hub.people().logIn(doctorPage, doctor);
            doctorPage.awaitText("#bell-count", "1"); // the patient added the doctor to her care team
            doctorPage.clickLink("Jeanne Roux");
            // well inside the 30 days of the reminder list, with its 7-day, 1-day and 2-hour reminders, at any hour
            String inThreeWeeks = hub.clock().instant().atZone(TestClock.PARIS).toLocalDate().plusDays(20) + "T10:30";
            doctorPage.setValue("#appointment-form input[name=startsAt]", inThreeWeeks);
            doctorPage.type("#appointment-form input[name=place]", "Cabinet du Dr Fabre, Lyon");
            doctorPage.click("#appointment-form button[type=submit]");
            doctorPage.awaitText("#appointment-form", "Rendez-vous créé.");

            patientPage.awaitText("#appointments", "Cabinet du Dr Fabre, Lyon"); // live, no reload
            patientPage.awaitText("#reminders", "Rendez-vous"); // 7 days, 1 day and 2 hours before
            io.vertx.core.json.JsonArray reminders = new io.vertx.core.json.JsonArray(patient.http().get("/api/v1/agenda/reminders").body());
            assertEquals(3, reminders.stream().filter(r -> "appointment".equals(((JsonObject) r).getString("kind"))).count(),
                    reminders.encode());
            assertEquals(403, doctor.http().get("/api/v1/agenda/reminders").status(), "reminders are the patient's own");
            patientPage.awaitText("#bell-count", "2"); // the doctor opened the record, then booked
            hub.awaitEventsNumbered();
            long doctorsHead = hub.sql().count("SELECT head FROM stream WHERE recipient_id = ?", doctor.id());
            fr.relais.testing.Eventually.await("the doctor's page handled their own appointment.created", java.time.Duration.ofSeconds(15),
                    () -> doctorPage.evaluate("return JSON.parse(localStorage.getItem('relais.cursor." + doctor.id() + "')).offset"),
                    offset -> Long.parseLong(offset) == doctorsHead);
            assertEquals("1", doctorPage.find("#bell-count").getText(), "one's own booking does not ring one's own bell");
            patientPage.click("#make-calendar-link");
            patientPage.find("#calendar-link input");
            patientPage.screenshot("patient-agenda");

            patientPage.go("#/profile");
            patientPage.click("section[aria-labelledby=section-allergies] summary");
            patientPage.type("#allergies-form input[name=substance]", "Pénicilline");
            patientPage.select("#allergies-form select[name=severity]", "severe");
            patientPage.click("#allergies-form button[type=submit]");
            patientPage.awaitText("#allergies", "Pénicilline — sévère");
            patientPage.click("section[aria-labelledby=section-measurements] summary");
            patientPage.select("#measurements-form select[name=type]", "blood_pressure");
            patientPage.type("#measurements-form input[name=systolic]", "128");
            patientPage.type("#measurements-form input[name=diastolic]", "82");
            patientPage.click("#measurements-form button[type=submit]");
            patientPage.awaitText("#measurements", "Tension artérielle : 128/82 mmHg");
            patientPage.screenshot("patient-profile");

            patientPage.go("#/access");
            patientPage.awaitText("#access-history", "Dr Fabre — a ouvert votre dossier");
            patientPage.screenshot("patient-access-history");

            patientPage.go("#/settings");
            patientPage.select("#notifications-form select[name=documents]", "digest");
            patientPage.click("#notifications-form input[name=push-record_accesses]");
            patientPage.type("#notifications-form input[name=quietHours]", "21:00-07:30");
            patientPage.click("#notifications-form button[type=submit]");
            patientPage.awaitText("#notifications-form", "Réglages enregistrés.");
            JsonObject saved = patient.http().get("/api/v1/me/notifications").json();
            assertEquals("digest", saved.getJsonObject("categories").getString("documents"));
            assertEquals("21:00-07:30", saved.getString("quietHours"));
            assertEquals(new JsonObject().put("messages", true).put("documents", true).put("reminders", true)
                    .put("record_accesses", false), saved.getJsonObject("push"), "accesses to the record no longer pushed");
            patientPage.type("#block-form input[name=rpps]", rpps);
            patientPage.click("#block-form button[type=submit]");
            patientPage.awaitText("#blocked", "Dr Fabre");
            patientPage.click("#lang");
            patientPage.awaitText("main h1", "Settings");
            patientPage.screenshot("patient-settings-english");
            patientPage.click("#lang");

            patientPage.click("#close-form input[name=confirm]");
            patientPage.click("#close-form button[type=submit]");
            patientPage.acceptDialog();
            patientPage.find("#login-form");
            assertEquals(401, patient.http().get("/api/v1/me").status(), "the space and its sessions are gone");
        }
    }

    @Test
    void aDoctorAllowsTheirSoftwareWhoseMessageBothSeeViaItThenRevokesIt() {
        Person doctor = hub.people().professional("Dr Claire Martin", "physician");
        Person patient = hub.people().patient("Hugo Petit");
        String conversation = hub.people().conversation(doctor, patient);
        Person software = hub.people().systemOf(hub.people().organisation("software_vendor", "Éditeur Médical"), "Cabinet Pro",
                "messages:write");
        String clientId = software.http().get("/api/v1/me").json().getString("clientId");
        try (Browser doctorPage = Browser.open(hub.port(), hub.clock()); Browser patientPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(doctorPage, doctor);
            doctorPage.go("#/software");
            doctorPage.awaitText("main", "Aucun logiciel n’agit en votre nom.");
            doctorPage.type("#software-form input[name=clientId]", clientId);
            doctorPage.click("#software-form button[type=submit]");
            doctorPage.awaitText("#software", "Cabinet Pro — Éditeur Médical");
            doctorPage.screenshot("professional-software");
            assertEquals(201, software.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject()
                    .put("body", "Votre ordonnance est prête.").put("onBehalfOf", doctor.id().toString())).status());

            hub.people().logIn(patientPage, patient);
            patientPage.go("#/messages/" + conversation);
            patientPage.awaitText("#thread", "Dr Claire Martin (via Cabinet Pro)");
            patientPage.screenshot("patient-message-via-software");
            doctorPage.go("#/messages/" + conversation);
            doctorPage.awaitText("#thread", "Vous (via Cabinet Pro)");

            doctorPage.go("#/software");
            doctorPage.click("#software button");
            doctorPage.awaitText("main", "Aucun logiciel n’agit en votre nom.");
            assertEquals("not_delegated", software.http().post("/api/v1/conversations/" + conversation + "/messages", new JsonObject()
                    .put("body", "Encore ?").put("onBehalfOf", doctor.id().toString())).json().getString("code"), "revoked from the portal");
            doctorPage.click("#lang");
            doctorPage.awaitText("main", "No software acts on your behalf.");
            doctorPage.awaitText("#nav", "My software");
            doctorPage.resize(390, 844);
            doctorPage.screenshot("phone-professional-software-english");
        }
    }

    @Test
    void aPatientConsentsToAnAppOnTheHubsPageThenRevokesItFromConnectedApps() {
        String callback = "http://127.0.0.1:" + hub.port() + "/health/live";
        String clientId = hub.people().catalogueApp("Carnet Santé+", callback, "launch/patient", "offline_access",
                "patient/DocumentReference.read", "patient/Observation.write");
        Person patient = hub.people().patient("Léa Bernard");
        String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        String query = "response_type=code&client_id=" + clientId + "&redirect_uri=" + URLEncoder.encode(callback, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("launch/patient patient/DocumentReference.read patient/Observation.write", StandardCharsets.UTF_8)
                + "&state=st4te&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.go("oauth/authorize?" + query); // where the app sends the patient
            hub.people().logIn(page, patient);
            page.awaitText("#consent-app", "Carnet Santé+ (Carnet Santé+ SAS) demande à accéder à votre espace santé");
            page.awaitText("main", "ajouter des mesures (objets connectés)");
            page.screenshot("patient-consent");
            page.click("#consent-grant");
            String back = page.awaitAddressStartingWith(callback + "?code=");
            assertTrue(back.endsWith("&state=st4te"), back);
            String code = back.substring((callback + "?code=").length(), back.indexOf("&state="));
            HttpTestClient.Response token = hub.http().send("POST", "/api/v1/oauth/token", java.util.Map.of(),
                    "application/x-www-form-urlencoded", "grant_type=authorization_code&client_id=" + clientId + "&code=" + code
                            + "&redirect_uri=" + URLEncoder.encode(callback, StandardCharsets.UTF_8) + "&code_verifier=" + verifier);
            assertEquals(200, token.status(), token.body());
            String appToken = token.json().getString("access_token");
            assertEquals(200, appDocuments(appToken, patient).status());

            page.go("#/apps");
            page.awaitText("#apps", "Carnet Santé+");
            page.awaitText("#apps", "voir les documents de votre dossier");
            page.screenshot("patient-connected-apps");
            page.click("#apps button");
            page.awaitText("main", "Aucune application n’est connectée à votre espace.");
            assertEquals(401, appDocuments(appToken, patient).status(), "revoked from the portal");
            page.click("#lang");
            page.awaitText("main", "No app is connected to your space.");
            page.awaitText("#nav", "Connected apps");
            page.awaitText("#status", "Live");
        }
    }

    private static HttpTestClient.Response appDocuments(String appToken, Person patient) {
        return hub.http().send("GET", "/api/v1/patients/" + patient.id() + "/documents", java.util.Map.of("Authorization", "Bearer " + appToken));
    }

    @Test
    void aProfessionalWritesToAColleagueFoundByRpps() {
        Person writer = hub.people().professional("Dr Giraud", "physician");
        Person colleague = hub.people().professional("Mme Perrin", "nurse");
        Person patient = hub.people().patient("Paul Simon");
        String rpps = colleague.http().get("/api/v1/me").json().getString("rpps");
        assertEquals(403, patient.http().get("/api/v1/professionals/" + rpps).status(), "the lookup is for professionals");
        assertEquals("professional_not_found", writer.http().get("/api/v1/professionals/10000000000").json().getString("code"));
        assertEquals(400, writer.http().get("/api/v1/professionals/12").status());
        try (Browser writerPage = Browser.open(hub.port(), hub.clock()); Browser colleaguePage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(colleaguePage, colleague);
            colleaguePage.go("#/messages");
            hub.people().logIn(writerPage, writer);
            writerPage.go("#/messages");
            writerPage.type("#colleague-form input[name=rpps]", rpps);
            writerPage.type("#colleague-form input[name=subject]", "Pansement de M. Simon");
            writerPage.type("#colleague-form textarea[name=body]", "Pouvez-vous passer demain matin ?");
            writerPage.click("#colleague-form button[type=submit]");
            writerPage.awaitText("#thread", "Pouvez-vous passer demain matin ?");
            colleaguePage.awaitText("#conversations", "Pansement de M. Simon");
            colleaguePage.awaitText("#bell-count", "1");
        }
    }

    @Test
    void theLoginAndTheBellWorkFromTheKeyboardOnAPhoneScreen() {
        Person patient = hub.people().patient("Nina Faure");
        Person doctor = hub.people().physicianOf(patient, "Dr Caron");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.resize(390, 844);
            page.find("#login-form"); // the address field has the focus: no mouse from here on
            page.keys(patient.email(), Keys.TAB, People.PASSWORD, Keys.ENTER);
            page.find("#code-form");
            page.keys(hub.people().awaitCode(patient.email()), Keys.ENTER);
            page.awaitText("#status", "En direct");
            doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Vaccin")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Le rappel est à faire.")));
            page.awaitText("#bell-count", "1");
            page.screenshot("phone-patient-messages");
            double header = Double.parseDouble(page.evaluate("return document.querySelector('header.top').getBoundingClientRect().height"));
            double screen = Double.parseDouble(page.evaluate("return window.innerHeight"));
            assertTrue(header <= 0.2 * screen, "the header takes " + header + " of the phone's " + screen + " pixels");
            page.find("#bell").sendKeys(Keys.ENTER);
            page.awaitAttribute("#bell", "aria-expanded", "true");
            page.awaitText("#notification-list", "Nouveau message");
            page.screenshot("phone-patient-notifications");
            page.find("#notification-list button.notice").sendKeys(Keys.ENTER); // opening the item reads it
            page.awaitText("#thread", "Le rappel est à faire.");
            page.awaitText("#bell-count", "0");
        }
    }

    @Test
    void theBellKeepsItsItemsAndTheirReadStateThroughAReloadAndAcrossTwoBrowsers() {
        Person patient = hub.people().patient("Nina Roche");
        Person doctor = hub.people().physicianOf(patient, "Dr Vidal");
        for (String subject : List.of("Ordonnance", "Vaccin")) {
            assertEquals(201, doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", subject)
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "À propos : " + subject))).status());
        }
        try (Browser laptop = Browser.open(hub.port(), hub.clock()); Browser phone = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(laptop, patient);
            hub.people().logIn(phone, patient);
            laptop.awaitText("#bell-count", "2");
            phone.awaitText("#bell-count", "2");

            laptop.click("#bell");
            laptop.awaitText("#notification-list", "Nouveau message de Dr Vidal");
            laptop.click("#notification-list li:last-child button.notice"); // the older one: the prescription
            laptop.awaitText("#thread", "À propos : Ordonnance");
            laptop.awaitText("#bell-count", "1");
            phone.awaitText("#bell-count", "1"); // told live by the other browser

            phone.run("location.reload()");
            phone.awaitText("#status", "En direct");
            phone.awaitText("#bell-count", "1"); // the hub's count, not the page's memory
            phone.click("#bell");
            phone.awaitAttribute("#notification-list li:first-child", "data-read", "false");
            phone.awaitAttribute("#notification-list li:last-child", "data-read", "true");
            phone.screenshot("patient-notification-centre");

            phone.click("#mark-all-read");
            phone.awaitText("#bell-count", "0");
            laptop.awaitText("#bell-count", "0");
            laptop.awaitAttribute("#notification-list li:first-child", "data-read", "true");

            phone.click("#notification-list li:last-child button.archive"); // the prescription's, put away
            laptop.awaitCount("#notification-list li", 1); // gone from the other browser's list too, live
            laptop.click("#bell");
            laptop.awaitText("#notification-list", "Nouveau message de Dr Vidal");
        }
    }

    @Test
    void thePortalIsInstallableAndItsShellOpensWhileTheHubCannotBeReached() throws Exception {
        fr.relais.testing.HttpTestClient.Response manifest = hub.http().get("/app/manifest.webmanifest");
        assertTrue(manifest.header("Content-Type").startsWith("application/manifest+json"), manifest.header("Content-Type"));
        JsonObject app = manifest.json();
        assertEquals("standalone", app.getString("display"));
        assertEquals("/", app.getString("start_url"));
        for (Object icon : app.getJsonArray("icons")) {
            fr.relais.testing.HttpTestClient.Response image = hub.http().get(((JsonObject) icon).getString("src"));
            assertEquals(200, image.status());
            assertEquals("image/png", image.header("Content-Type"));
        }
        Person patient = hub.people().patient("Yasmine Haddad");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.awaitText("main h1", "Messagerie");
            fr.relais.testing.Eventually.await("the service worker controls the page", java.time.Duration.ofSeconds(15),
                    () -> page.evaluate("return String(navigator.serviceWorker.controller !== null)"), "true"::equals);
            hub.restart(() -> {
                page.run("location.reload()");
                page.find("#retry"); // the page came from the cache and runs: it says the hub does not answer
                page.screenshot("patient-offline-shell");
            });
            page.awaitText("#status", "En direct");
            page.awaitText("main h1", "Messagerie"); // back by itself once the hub answers
        }
    }

    @Test
    void theMainScreensMeetWcag21AaAsAxeChecksThem() {
        Person patient = hub.people().patient("Rose Blanc");
        Person doctor = hub.people().physicianOf(patient, "Dr Noël");
        doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Contrôle")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "Tout va bien.")));
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            assertEquals(List.of(), page.accessibilityProblems(), "login");
            hub.people().logIn(page, patient);
            page.click("#bell");
            page.find("#notifications");
            assertEquals(List.of(), page.accessibilityProblems(), "messages with the notifications open");
            for (String screen : List.of("#/documents", "#/agenda", "#/profile", "#/care", "#/access", "#/apps", "#/settings")) {
                page.go(screen);
                page.find("main h1");
                page.find("main h1 + *");
                assertEquals(List.of(), page.accessibilityProblems(), screen);
            }
            page.go("#/care");
            page.type("#declare-form input[name=query]", "noel");
            page.click("#declare-form button[type=submit]");
            page.awaitText("#found-professionals", "Dr Noël");
            assertEquals(List.of(), page.accessibilityProblems(), "the care team with professionals found");
            page.go("#/messages");
            page.clickLink("Contrôle");
            page.awaitText("#thread", "Tout va bien.");
            assertEquals(List.of(), page.accessibilityProblems(), "a conversation");
            page.resize(390, 844);
            page.go("#/messages");
            page.find("main h1 + *");
            if (!"true".equals(page.find("#bell").getDomAttribute("aria-expanded"))) { // still open from the first screen
                page.click("#bell");
            }
            page.find("#notification-list li");
            assertEquals(List.of(), page.accessibilityProblems(), "messages and notifications on a phone");
        }
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.go("#/patients/" + patient.id());
            page.find("#appointment-form");
            assertEquals(List.of(), page.accessibilityProblems(), "a professional's patient screen");
            page.go("#/software");
            page.find("#software-form");
            assertEquals(List.of(), page.accessibilityProblems(), "a professional's software screen");
            page.go("#/patients");
            page.find("#care-request-form");
            assertEquals(List.of(), page.accessibilityProblems(), "a professional's patients");
            page.go("#/messages");
            page.find("main h1 + *");
            assertEquals(List.of(), page.accessibilityProblems(), "a professional's messages");
            page.run("document.querySelector('main').append(document.createElement('input'))"); // a field with no label
            assertTrue(page.accessibilityProblems().stream().anyMatch(problem -> problem.startsWith("label ")),
                    "the check sees a planted violation");
        }
    }

    @Test
    void afterANetworkCutThePageShowsReconnectingThenWhatWasMissed() {
        Person patient = hub.people().patient("Louise Petit");
        Person doctor = hub.people().physicianOf(patient, "Dr Moreau");
        try (CuttableProxy network = CuttableProxy.to(hub.port()); Browser page = Browser.open(network.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            network.cut();
            page.awaitText("#status", "Reconnexion…");
            page.screenshot("patient-reconnecting");
            JsonObject started = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Rendez-vous")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Pouvez-vous venir jeudi ?"))).json();
            assertTrue(started.containsKey("conversationId"), started.encode());
            network.restore();
            page.awaitText("#status", "En direct");
            page.awaitText("#bell-count", "1");
            page.click("#bell");
            page.awaitText("#notification-list", "Nouveau message");
        }
    }

    @Test
    void aPageThatCouldNotLoadSaysSoWithARetryAndComesBackWithTheServer() {
        Person patient = hub.people().patient("Inès Roux");
        try (CuttableProxy network = CuttableProxy.to(hub.port()); Browser page = Browser.open(network.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            network.cut();
            page.clickLink("Documents");
            page.awaitText("main h1", "Cette page n’a pas pu s’afficher");
            page.awaitText("main .error", "Le serveur ne répond pas.");
            page.find("#retry");
            page.screenshot("patient-page-failed");
            network.restore();
            page.awaitText("main h1", "Mes documents"); // by itself, once the live connection is back
            page.click("#nav a[href='#/agenda']");
            page.awaitText("main h1", "Agenda");
        }
    }

    @Test
    void aSessionThatEndsLeadsToTheLoginThenBackToThePageThePersonWasOn() {
        Person patient = hub.people().patient("Hugo Faure");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.clickLink("Profil médical");
            String profile = page.hash();
            String token = page.evaluate("return JSON.parse(sessionStorage.getItem('relais.session')).accessToken");
            assertEquals(204, hub.http().send("POST", "/api/v1/auth/logout", java.util.Map.of("Authorization", "Bearer " + token),
                    "application/json", "{}").status()); // the session ends elsewhere
            page.awaitText("main .notice", "Votre session a pris fin");
            hub.people().logIn(page, patient);
            page.awaitHash(profile);
        }
    }

    @Test
    void theEnglishPagesKeepNoFrenchStringOfTheTranslationTable() {
        Person patient = hub.people().patient("Ada Byron");
        Person doctor = hub.people().physicianOf(patient, "Dr Hopper");
        doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Check-up")
                .put("participants", new JsonArray().add(patient.id().toString()))
                .put("message", new JsonObject().put("body", "All good.")));
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.click("#lang");
            page.awaitText("#login-form", "Email address");
            assertEquals(List.of(), frenchLeft(page), "the login");
            page.click("#lang");
            hub.people().logIn(page, patient);
            page.click("#lang");
            for (String screen : List.of("#/messages", "#/documents", "#/agenda", "#/profile", "#/care", "#/access", "#/apps", "#/settings")) {
                page.go(screen);
                page.find("main h1 + *");
                assertEquals(List.of(), frenchLeft(page), screen);
            }
            doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Results")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Normal.")));
            page.awaitText("#bell-count", "2"); // the check-up's message, kept since before the login, and this one
            page.click("#bell");
            page.find("#notification-list li");
            assertEquals(List.of(), frenchLeft(page), "the notifications");
        }
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.click("#lang");
            for (String screen : List.of("#/patients", "#/patients/" + patient.id(), "#/messages", "#/software")) {
                page.go(screen);
                page.find("main h1 + *");
                assertEquals(List.of(), frenchLeft(page), screen);
            }
        }
    }

    /**
     * The French phrases of the translation table (those that differ from their English) on the page as it shows now,
     * and the keys that have no English at all (the page would fall back to French).
     */
    private static List<Object> frenchLeft(Browser page) {
        @SuppressWarnings("unchecked")
        List<Object> found = (List<Object>) page.evaluateAsync("""
                const done = arguments[arguments.length - 1];
                import('/app/i18n.js').then(({ translations }) => {
                  const text = document.body.innerText;
                  const found = [];
                  for (const [key, french] of Object.entries(translations.fr)) {
                    const english = translations.en[key];
                    if (english === undefined) {
                      found.push('no English for ' + key);
                    } else if (english !== french) {
                      french.split(/\\{\\w+\\}/).map((part) => part.trim()).filter((part) => part.length >= 8 && text.includes(part))
                        .forEach((part) => found.push(key + ': ' + part));
                    }
                  }
                  done(found);
                });""");
        return found;
    }

    @Test
    void aPatientCannotReachAnotherPatientsDataByEditingTheAddress() {
        Person alice = hub.people().patient("Alice Bernard");
        Person bruno = hub.people().patient("Bruno Garnier");
        Person doctor = hub.people().professional("Dr Lefèvre", "physician");
        hub.people().treats(doctor, bruno);
        String brunosConversation = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi de Bruno")
                .put("participants", new JsonArray().add(bruno.id().toString()))
                .put("message", new JsonObject().put("body", "Message confidentiel pour Bruno"))).json().getString("conversationId");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, alice);
            page.go("#/messages/" + brunosConversation);
            page.awaitText("main", "L'opération a échoué");
            assertFalse(page.pageText().contains("confidentiel"), page.pageText());
            assertFalse(page.pageText().contains("Suivi de Bruno"), page.pageText());
            page.go("#/patients/" + bruno.id()); // a professionals' screen: a patient is sent back to her own
            page.awaitHash("#/messages");
            page.awaitText("main", "Aucune conversation.");
            assertFalse(page.pageText().contains("Bruno"), page.pageText());
        }
    }
}
