package fr.relais.agenda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What people type into an appointment: absurd times are refused, and titles cannot reshape the calendar feed. */
class AgendaInputTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void timesOutsideTheDateWindowAreRefusedWhenBookingAndMoving() {
        Person patient = hub.people().patient("Patiente Pressée");
        Person doctor = hub.people().professional("Dr Calendrier", "physician");
        for (String[] times : new String[][] {{paris(soon()), "300000-01-01T10:30"}, {"-5000-01-01T10:00", paris(soon())},
                {paris(soon()), "+300000-01-01T10:30:00Z"}, {"1899-12-31T23:00", paris(soon())}}) {
            Response booked = doctor.http().post("/api/v1/appointments", appointment(patient, times[0], times[1], "Bilan", "Cabinet"));
            assertEquals(400, booked.status(), String.join(" to ", times) + ": " + booked.body());
            assertEquals("invalid_field", booked.json().getString("code"));
        }
        String id = book(doctor, patient, "Bilan", "Cabinet");
        Response moved = doctor.http().put("/api/v1/appointments/" + id, new JsonObject()
                .put("startsAt", paris(soon())).put("endsAt", "300000-01-01T10:30"));
        assertEquals(400, moved.status(), moved.body());
        assertEquals("endsAt", moved.json().getString("field"));
        assertEquals(1, hub.sql().count("SELECT count(*) FROM appointment WHERE patient_id = ?", patient.id()),
                "only the appointment within the window was stored");
    }

    @Test
    void anAppointmentStoredWithAnInfiniteTimeIsLeftOutAndTheRestIsStillListed() {
        Person patient = hub.people().patient("Patient Infini");
        Person doctor = hub.people().professional("Dr Infini", "physician");
        String kept = book(doctor, patient, "Consultation", "Cabinet");
        String broken = book(doctor, patient, "Jamais fini", "Cabinet");
        // what a year-300000 end became in PostgreSQL before times were checked on write
        hub.sql().execute("UPDATE appointment SET ends_at = 'infinity' WHERE id = '" + broken + "'");
        String feed = calendarFeed(patient);

        assertEquals(List.of(kept), listedIds(patient));
        assertEquals(List.of(kept), listedIds(doctor));
        Response ics = hub.http().get(feed);
        assertEquals(200, ics.status(), ics.body());
        assertTrue(ics.body().contains("UID:" + kept + "@relais") && !ics.body().contains(broken), ics.body());

        Response cancelled = doctor.http().post("/api/v1/appointments/" + broken + "/cancel", new JsonObject());
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals(List.of(kept), listedIds(patient));
        assertEquals(200, hub.http().get(feed).status());
    }

    @Test
    void lineBreaksAndSeparatorsInATitleOrPlaceAreEscapedAndCannotAddAProperty() {
        Person patient = hub.people().patient("Patiente Piégée");
        Person doctor = hub.people().professional("Dr Injection", "physician");
        String id = book(doctor, patient, "Bilan\r\nATTENDEE:mailto:evil@example.com\rX-EVIL:1\nDESCRIPTION:x",
                "Salle 3; bâtiment B, aile \\ nord\u0007");
        String body = hub.http().get(calendarFeed(patient)).body();

        List<String> lines = contentLines(body);
        for (String line : lines) {
            assertTrue(line.indexOf('\r') < 0 && line.indexOf('\n') < 0 && line.indexOf('\u0007') < 0, "a bare control character in " + line);
        }
        List<String> event = lines.subList(lines.indexOf("UID:" + id + "@relais") - 1, lines.size());
        event = event.subList(0, event.indexOf("END:VEVENT") + 1);
        assertEquals(List.of("BEGIN", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "STATUS", "END"),
                event.stream().map(line -> line.split("[:;]", 2)[0]).toList(), "no property but the event's own: " + event);
        assertTrue(event.contains("SUMMARY:Bilan\\nATTENDEE:mailto:evil@example.com\\nX-EVIL:1\\nDESCRIPTION:x"), event.toString());
        assertTrue(event.contains("LOCATION:Salle 3\\; bâtiment B\\, aile \\\\ nord"), event.toString());
    }

    /** The feed's content lines, unfolded (RFC 5545 §3.1: a CRLF followed by a space or tab continues the line). */
    private static List<String> contentLines(String ics) {
        assertTrue(ics.endsWith("\r\n"), "content lines end with CRLF");
        return Arrays.asList(ics.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"));
    }

    private static List<String> listedIds(Person person) {
        Response listed = person.http().get("/api/v1/appointments");
        assertEquals(200, listed.status(), listed.body());
        return new JsonArray(listed.body()).stream().map(item -> ((JsonObject) item).getString("id")).toList();
    }

    /** The path and query of a new calendar link of {@code person}. */
    private static String calendarFeed(Person person) {
        Response link = person.http().post("/api/v1/agenda/calendar-link", new JsonObject());
        assertEquals(201, link.status(), link.body());
        String url = link.json().getString("url");
        return url.substring(url.indexOf("/api/v1/"));
    }

    private static String book(Person doctor, Person patient, String title, String place) {
        Instant start = soon();
        Response booked = doctor.http().post("/api/v1/appointments",
                appointment(patient, paris(start), paris(start.plus(Duration.ofMinutes(30))), title, place));
        assertEquals(201, booked.status(), booked.body());
        return booked.json().getString("id");
    }

    private static JsonObject appointment(Person patient, String startsAt, String endsAt, String title, String place) {
        return new JsonObject().put("patientId", patient.id().toString()).put("startsAt", startsAt).put("endsAt", endsAt)
                .put("title", title).put("place", place);
    }

    private static Instant soon() {
        return hub.clock().instant().plus(Duration.ofDays(5));
    }

    private static String paris(Instant instant) {
        return instant.atZone(ZoneId.of("Europe/Paris")).toLocalDateTime().withSecond(0).withNano(0).toString();
    }
}
