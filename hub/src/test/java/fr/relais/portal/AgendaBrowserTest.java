package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fr.relais.testing.Browser;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agenda in a real headless Chromium: the patient reads with whom, where, when (in words) and for how long; cancels
 * a professional's appointment and moves her own; the professional's open list follows, and moves one the patient's
 * page follows; past appointments and the reminders to come are listed in words, never codes.
 */
@ClockSensitive
class AgendaBrowserTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    /** As Intl writes a date and time in French: « 28 novembre 2026 à 10:30 ». */
    private static final DateTimeFormatter FRENCH = DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm", Locale.FRENCH);

    @Test
    void thePatientReadsCancelsAndMovesHerAppointmentsAndTheDoctorsOpenListFollows() {
        Person patient = hub.people().patient("Jeanne Roux");
        Person doctor = hub.people().professional("Dr Élise Fabre", "physician");
        hub.people().treats(doctor, patient);
        LocalDateTime now = hub.clock().instant().atZone(TestClock.PARIS).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime soon = now.plusHours(3); // past once the clock has moved a day on
        LocalDateTime later = now.toLocalDate().plusDays(20).atTime(10, 30);
        LocalDateTime toMove = now.toLocalDate().plusDays(25).atTime(14, 0);
        LocalDateTime personal = now.toLocalDate().plusDays(12).atTime(9, 0);
        String past = book(doctor, patient, soon, 30, "Centre de santé, Villeurbanne");
        String upcoming = book(doctor, patient, later, 45, "Cabinet du Dr Fabre, Lyon");
        String movedByDoctor = book(doctor, patient, toMove, 20, "Cabinet secondaire, Bron");
        String own = book(patient, null, personal, 60, "Pharmacie du Parc");
        Response treatment = patient.http().post("/api/v1/patients/" + patient.id() + "/profile/treatments", new JsonObject()
                .put("medicine", "Lévothyrox").put("dose", "75 µg").put("times", new JsonArray().add("08:00")));
        assertEquals(201, treatment.status(), treatment.body());
        Eventually.await("treatment reminders planned", Duration.ofSeconds(15), () -> hub.sql().count(
                "SELECT count(*) FROM reminder_job WHERE patient_id = ? AND kind = 'treatment' AND status = 'pending'", patient.id()),
                n -> n >= 2);

        hub.clock().advance(Duration.ofDays(1));
        try (Browser patientPage = Browser.open(hub.port(), hub.clock()); Browser doctorPage = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(patientPage, patient);
            patientPage.go("#/agenda");
            String row = "#appointments li[data-appointment='" + upcoming + "']";
            patientPage.awaitText(row, FRENCH.format(later));
            patientPage.awaitText(row, "durée : 45 minutes");
            patientPage.awaitText(row, "Avec Dr Élise Fabre (Médecin)");
            patientPage.awaitText(row, "Lieu : Cabinet du Dr Fabre, Lyon");
            patientPage.awaitText(row + " .status", "confirmé");
            patientPage.awaitText("#appointments li[data-appointment='" + own + "']", "Rendez-vous personnel");

            String pastRow = "#past-appointments li[data-appointment='" + past + "']";
            patientPage.awaitText(pastRow, FRENCH.format(soon));
            patientPage.awaitText(pastRow, "Avec Dr Élise Fabre");
            assertFalse(patientPage.find("#appointments").getText().contains("Villeurbanne"), "a past appointment is not to come");
            assertEquals("0", patientPage.evaluate("return document.querySelectorAll('#past-appointments button').length"),
                    "nothing to cancel in the past");

            patientPage.awaitText("#reminders", "Rendez-vous — votre rendez-vous du " + FRENCH.format(later) + " avec Dr Élise Fabre");
            patientPage.awaitText("#reminders", "Prise de traitement — la prise de 08:00");
            String reminders = patientPage.find("#reminders").getText();
            for (String code : List.of("appointment", "treatment", "vaccination", "screening", "P7D", "PT2H", "T08:00")) {
                assertFalse(reminders.contains(code), "no code in the reminders: " + code + " in " + reminders);
            }
            assertEquals(List.of(), patientPage.accessibilityProblems(), "the agenda");
            patientPage.screenshot("patient-agenda-full");

            hub.people().logIn(doctorPage, doctor);
            doctorPage.go("#/patients");
            doctorPage.awaitText("#my-appointments li[data-appointment='" + upcoming + "']", "Avec Jeanne Roux");

            // the patient cancels the doctor's appointment; she may not move it
            assertEquals("0", patientPage.evaluate("return document.querySelectorAll(\"" + row + " .move-appointment\").length"),
                    "a professional's appointment is moved by the professional");
            patientPage.click(row + " .cancel-appointment");
            patientPage.acceptDialog();
            patientPage.awaitText(row + " .status", "annulé");
            doctorPage.awaitText("#my-appointments li[data-appointment='" + upcoming + "'] .status", "annulé"); // live
            assertEquals(1, hub.sql().count("SELECT count(*) FROM appointment WHERE id = ? AND status = 'cancelled'", UUID.fromString(upcoming)));
            patientPage.awaitText("#reminders", "la prise de 08:00");
            assertFalse(patientPage.find("#reminders").getText().contains(FRENCH.format(later)), "its reminders are gone");

            // she moves her own entry
            String ownRow = "#appointments li[data-appointment='" + own + "']";
            LocalDateTime ownMoved = personal.plusDays(2).withHour(11).withMinute(15);
            assertEquals("none", patientPage.evaluate("return getComputedStyle(document.querySelector(\"" + ownRow + " .move-form\")).display"),
                    "the move form shows only once asked for");
            patientPage.click(ownRow + " .move-appointment");
            patientPage.setValue(ownRow + " input[name=startsAt]", ownMoved.toString());
            patientPage.click(ownRow + " .move-form button[type=submit]");
            patientPage.awaitText(ownRow, FRENCH.format(ownMoved));
            patientPage.awaitText(ownRow, "durée : 1 heure");
            patientPage.awaitText(ownRow + " .status", "déplacé");

            // the doctor moves theirs from their list: the patient's open page follows
            String doctorRow = "#my-appointments li[data-appointment='" + movedByDoctor + "']";
            LocalDateTime doctorMoved = toMove.plusDays(1).withHour(16);
            doctorPage.click(doctorRow + " .move-appointment");
            doctorPage.setValue(doctorRow + " input[name=startsAt]", doctorMoved.toString());
            doctorPage.click(doctorRow + " .move-form button[type=submit]");
            doctorPage.awaitText(doctorRow, FRENCH.format(doctorMoved));
            String patientRow = "#appointments li[data-appointment='" + movedByDoctor + "']";
            patientPage.awaitText(patientRow, FRENCH.format(doctorMoved)); // live
            patientPage.awaitText(patientRow, "durée : 20 minutes");
            patientPage.awaitText(patientRow + " .status", "déplacé");

            patientPage.click(ownRow + " .move-appointment"); // a form open, a cancelled and a moved one
            assertEquals(List.of(), patientPage.accessibilityProblems(), "the agenda after the changes");
            assertEquals(List.of(), doctorPage.accessibilityProblems(), "the professional's list");
        } finally {
            hub.clock().advance(Duration.ofDays(-1));
        }
    }

    /** Books as {@code booker} (for {@code patient}, or a personal entry when null); the appointment's id. */
    private static String book(Person booker, Person patient, LocalDateTime start, int minutes, String place) {
        JsonObject body = new JsonObject().put("startsAt", start.toString()).put("endsAt", start.plusMinutes(minutes).toString())
                .put("place", place);
        if (patient != null) {
            body.put("patientId", patient.id().toString());
        }
        Response booked = booker.http().post("/api/v1/appointments", body);
        assertEquals(201, booked.status(), booked.body());
        return booked.json().getString("id");
    }

}
