package fr.relais.agenda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Appointments and the reminder scheduler, with the hub's clock under the test's control. */
@ClockSensitive
class AgendaTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void remindersKeepTheParisTimeOnBothSidesOfDaylightSavingChanges() {
        Person patient = hub.people().patient("Heure d'été");
        Person doctor = hub.people().professional("Dr Horloge", "physician");
        LocalDate springDay = nextChangeDay(true); // e.g. 2027-03-28: summer time starts at 02:00
        String spring = book(doctor, patient, springDay + "T10:00", springDay + "T10:30");
        assertEquals(List.of(utc(springDay.minusDays(7), "09:00"), utc(springDay.minusDays(1), "09:00"),
                        utc(springDay, "06:00")), dues(spring),
                "7 days and 1 day before at 10:00 winter time, 2 hours before at 08:00 summer time");
        LocalDate autumnDay = nextChangeDay(false); // e.g. 2027-10-31: summer time ends at 03:00
        String autumn = book(doctor, patient, autumnDay + "T10:00", autumnDay + "T10:30");
        assertEquals(List.of(utc(autumnDay.minusDays(7), "08:00"), utc(autumnDay.minusDays(1), "08:00"),
                        utc(autumnDay, "07:00")), dues(autumn),
                "7 days and 1 day before at 10:00 summer time, 2 hours before at 08:00 winter time");

        JsonObject shown = new JsonArray(patient.http().get("/api/v1/appointments?from=" + springDay.withDayOfMonth(1)
                + "T00:00&to=" + springDay.withDayOfMonth(1).plusMonths(1) + "T00:00").body()).getJsonObject(0);
        assertEquals(springDay + "T10:00+02:00", shown.getString("startsAt"), "shown back in Paris time");
    }

    /** The day of Paris's next change to summer time (or back), at least ten days after the hub's clock. */
    private static LocalDate nextChangeDay(boolean toSummer) {
        Instant from = hub.clock().instant().plus(Duration.ofDays(10));
        var transition = ParisTime.ZONE.getRules().nextTransition(from);
        while (transition.isGap() != toSummer) {
            transition = ParisTime.ZONE.getRules().nextTransition(transition.getInstant());
        }
        return transition.getDateTimeBefore().toLocalDate();
    }

    /** {@code day} at {@code time} UTC, as {@link #dues} prints it. */
    private static String utc(LocalDate day, String time) {
        return day + "T" + time + ":00Z";
    }

    @Test
    void aDueReminderFiresOnceLiveAndMovingOrCancellingFollows() {
        Person patient = hub.people().patient("Rappel");
        Person doctor = hub.people().professional("Dr Rappel", "physician");
        Instant start = hub.clock().instant().plus(Duration.ofDays(3));
        String id = book(doctor, patient, paris(start), paris(start.plus(Duration.ofMinutes(30))));
        assertEquals(2, dues(id).size(), "the 7-day reminder is already past: only 1 day and 2 hours before");

        Instant moved = start.plus(Duration.ofDays(10));
        Response move = doctor.http().put("/api/v1/appointments/" + id, new JsonObject()
                .put("startsAt", paris(moved)).put("endsAt", paris(moved.plus(Duration.ofMinutes(30)))));
        assertEquals(200, move.status(), move.body());
        assertEquals(3, dues(id).size(), "the old reminders are cancelled, three new ones planned");
        assertEquals(2, hub.sql().count("SELECT count(*) FROM reminder_job WHERE source_id = ? AND status = 'cancelled'", UUID.fromString(id)));

        hub.clock().advance(Duration.ofDays(6).plusHours(1)); // past the 7-day reminder of the moved appointment
        try {
            Eventually.await("the reminder fired", Duration.ofSeconds(15), () -> appointmentReminders(patient.id()), n -> n == 1);
            hub.hub().agenda().scheduler().runOnce().await();
            assertEquals(1, appointmentReminders(patient.id()), "fired once, even when ticked again");
        } finally {
            hub.clock().advance(Duration.ofDays(-6).minusHours(1));
        }
        assertEquals(1, events(patient.id(), "appointment.moved"));
        assertEquals(403, patient.http().put("/api/v1/appointments/" + id, new JsonObject()
                        .put("startsAt", paris(start)).put("endsAt", paris(start.plus(Duration.ofMinutes(30))))).status(),
                "the professional who booked it moves it");
        assertEquals(200, doctor.http().post("/api/v1/appointments/" + id + "/cancel", new JsonObject()).status());
        assertEquals(0, hub.sql().count("SELECT count(*) FROM reminder_job WHERE source_id = ? AND status = 'pending'", UUID.fromString(id)));
        assertEquals(1, events(patient.id(), "appointment.cancelled"));
        Person stranger = hub.people().professional("Dr Autre", "physician");
        assertEquals(404, stranger.http().put("/api/v1/appointments/" + id, new JsonObject()
                .put("startsAt", paris(moved)).put("endsAt", paris(moved.plusSeconds(60)))).status());
    }

    @Test
    void listsNameTheOtherPartyInOneStatement() {
        Person patient = hub.people().patient("Lucie Nommée");
        Person doctor = hub.people().professional("Dr Nom Propre", "midwife");
        hub.people().treats(doctor, patient);
        Instant start = hub.clock().instant().plus(Duration.ofDays(4));
        String id = book(doctor, patient, paris(start), paris(start.plus(Duration.ofMinutes(45))));
        assertEquals(201, patient.http().post("/api/v1/appointments", new JsonObject().put("startsAt", paris(start.plus(Duration.ofDays(1))))
                .put("endsAt", paris(start.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)))).put("place", "Pharmacie")).status());

        JsonArray mine = new JsonArray(patient.http().get("/api/v1/appointments").body());
        JsonObject booked = only(mine, id);
        assertEquals("Dr Nom Propre", booked.getString("professionalName"), mine.encode());
        assertEquals("midwife", booked.getString("profession"));
        assertEquals("Lucie Nommée", booked.getString("patientName"));
        assertEquals("Cabinet, 3 rue de la Paix", booked.getString("place"), "the place, opened from its sealed copy");
        JsonObject personal = mine.stream().map(JsonObject.class::cast).filter(a -> !id.equals(a.getString("id"))).findFirst().orElseThrow();
        assertEquals(null, personal.getString("professionalName"), "a personal entry has no professional");

        assertEquals("Lucie Nommée", only(new JsonArray(doctor.http().get("/api/v1/appointments").body()), id).getString("patientName"));
        assertEquals("Lucie Nommée", only(new JsonArray(doctor.http().get("/api/v1/patients/" + patient.id() + "/appointments").body()), id)
                .getString("patientName"));
    }

    @Test
    void aPatientCancelsAProfessionalsAppointmentButNoOneElseDoes() {
        Person patient = hub.people().patient("Annule Elle-même");
        Person doctor = hub.people().professional("Dr Agenda Plein", "physician");
        Person blocked = hub.people().professional("Dr Écarté", "physician");
        Person otherPatient = hub.people().patient("Autre Personne");
        Person stranger = hub.people().professional("Dr Sans Lien", "physician");
        Instant start = hub.clock().instant().plus(Duration.ofDays(9));
        String id = book(doctor, patient, paris(start), paris(start.plus(Duration.ofMinutes(30))));
        String byBlocked = book(blocked, patient, paris(start.plus(Duration.ofDays(1))), paris(start.plus(Duration.ofDays(1)).plusSeconds(1800)));
        hub.people().blocks(patient, blocked);

        for (Person wrong : List.of(otherPatient, stranger, blocked)) {
            for (String target : List.of(id, byBlocked)) {
                Response refused = wrong.http().post("/api/v1/appointments/" + target + "/cancel", new JsonObject());
                assertEquals(404, refused.status(), wrong.id() + " on " + target + ": " + refused.body());
            }
        }
        assertEquals(0, hub.sql().count("SELECT count(*) FROM appointment WHERE patient_id = ? AND status = 'cancelled'", patient.id()),
                "nothing cancelled by the wrong people");

        Response cancelled = patient.http().post("/api/v1/appointments/" + id + "/cancel", new JsonObject());
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("cancelled", cancelled.json().getString("status"));
        assertEquals(0, hub.sql().count("SELECT count(*) FROM reminder_job WHERE source_id = ? AND status = 'pending'", UUID.fromString(id)));
        for (Person party : List.of(patient, doctor)) {
            assertEquals(patient.id().toString(), hub.sql().rows("SELECT data->>'actorId' AS actor FROM stream_event "
                    + "WHERE recipient_id = ? AND type = 'appointment.cancelled'", party.id()).get(0).get("actor"),
                    "each party is told, with who did it");
        }
        assertEquals(409, patient.http().post("/api/v1/appointments/" + id + "/cancel", new JsonObject()).status(), "once");
        assertEquals(200, patient.http().post("/api/v1/appointments/" + byBlocked + "/cancel", new JsonObject()).status(),
                "the patient cancels the appointment of a professional she blocked");
    }

    private static JsonObject only(JsonArray list, String id) {
        return list.stream().map(JsonObject.class::cast).filter(a -> id.equals(a.getString("id"))).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + list.encode()));
    }

    @Test
    void aPatientChoosesTheirOwnReminderOffsets() {
        Person patient = hub.people().patient("Préférences");
        Person doctor = hub.people().professional("Dr Offsets", "physician");
        assertEquals(200, patient.http().put("/api/v1/me/reminders", new JsonObject()
                .put("offsets", new JsonArray().add("3d").add("30m"))).status());
        assertEquals("offsets", patient.http().put("/api/v1/me/reminders", new JsonObject()
                .put("offsets", new JsonArray().add("soon"))).json().getString("field"));
        LocalDate day = summerDay(60);
        String id = book(doctor, patient, day + "T15:00", day + "T15:30");
        assertEquals(List.of(day.minusDays(3) + "T13:00:00Z", day + "T12:30:00Z"), dues(id), "3 days and 30 minutes before 15:00 summer time");
    }

    @Test
    void severalSchedulersOnOneDatabaseFireEachReminderOnce() {
        Person patient = hub.people().patient("Concurrence");
        int total = 300;
        Instant aMinuteAgo = hub.clock().instant().minus(Duration.ofMinutes(1)); // the hub's minute, not the database's
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < total; i++) {
            values.append(i == 0 ? "" : ",").append("(gen_random_uuid(), 'bench:").append(patient.id()).append(':').append(i)
                    .append("', 'screening', '").append(patient.id()).append("', '").append(aMinuteAgo).append("', '").append(aMinuteAgo)
                    .append("', '{}')");
        }
        hub.sql().execute("INSERT INTO reminder_job (id, occurrence_key, kind, patient_id, due_at, next_attempt_at, payload) VALUES "
                + values);
        var config = hub.config().agenda();
        List<ReminderScheduler> schedulers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            schedulers.add(new ReminderScheduler(hub.hub().vertx(), hub.hub().streams().pool(), hub.hub().streams(), config,
                    hub.clock(), new SimpleMeterRegistry()));
        }
        Eventually.await("every reminder fired", Duration.ofSeconds(30), () -> {
            Future.join(schedulers.stream().map(ReminderScheduler::runOnce).toList()).await();
            return hub.sql().count("SELECT count(*) FROM reminder_job WHERE patient_id = ? AND status = 'fired'", patient.id());
        }, fired -> fired == total);
        assertEquals(total, events(patient.id(), "reminder.due"), "one event per reminder, none twice");
    }

    @Test
    void aBatchWhoseTransactionFailsIsFiredOneByOneAndOnlyTheFailingReminderWaitsForItsRetry() {
        Person patient = hub.people().patient("Lot en échec");
        int total = 20;
        Instant aMinuteAgo = hub.clock().instant().minus(Duration.ofMinutes(1));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < total; i++) {
            values.append(i == 0 ? "" : ",").append("(gen_random_uuid(), '").append(i == 7 ? "bad:" : "batch:").append(patient.id())
                    .append(':').append(i).append("', 'screening', '").append(patient.id()).append("', '").append(aMinuteAgo)
                    .append("', '").append(aMinuteAgo).append("', '{}')");
        }
        // one job cannot be marked fired: the batch that holds it fails as a whole
        hub.sql().execute("""
                CREATE FUNCTION refuse_bad_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.occurrence_key LIKE 'bad:%' AND NEW.status = 'fired' THEN RAISE EXCEPTION 'planted failure'; END IF;
                    RETURN NEW;
                END $$""");
        hub.sql().execute("CREATE TRIGGER refuse_bad_reminder BEFORE UPDATE ON reminder_job FOR EACH ROW EXECUTE FUNCTION refuse_bad_reminder()");
        try {
            hub.sql().execute("INSERT INTO reminder_job (id, occurrence_key, kind, patient_id, due_at, next_attempt_at, payload) VALUES "
                    + values);
            ReminderScheduler scheduler = new ReminderScheduler(hub.hub().vertx(), hub.hub().streams().pool(), hub.hub().streams(),
                    hub.config().agenda(), hub.clock(), new SimpleMeterRegistry());
            Eventually.await("the others fired", Duration.ofSeconds(30), () -> {
                scheduler.runOnce().otherwiseEmpty().await();
                return hub.sql().count("SELECT count(*) FROM reminder_job WHERE patient_id = ? AND status = 'fired'", patient.id());
            }, fired -> fired == total - 1);
            assertEquals(total - 1, events(patient.id(), "reminder.due"), "one event per fired reminder, none for the failing one");
            assertEquals(1, hub.sql().count("""
                    SELECT count(*) FROM reminder_job WHERE patient_id = ? AND occurrence_key LIKE 'bad:%'
                      AND status = 'pending' AND last_error LIKE '%planted failure%'""", patient.id()), "retried later, alone");
        } finally {
            hub.sql().execute("DROP TRIGGER refuse_bad_reminder ON reminder_job");
            hub.sql().execute("DROP FUNCTION refuse_bad_reminder()");
        }
    }

    @Test
    void aReminderDueWhileTheHubWasStoppedIsSentAfterTheRestart() throws Exception {
        Person patient = hub.people().patient("Redémarrage");
        Person doctor = hub.people().professional("Dr Panne", "physician");
        Instant start = hub.clock().instant().plus(Duration.ofHours(3));
        book(doctor, patient, paris(start), paris(start.plus(Duration.ofMinutes(20))));
        hub.restart(() -> hub.clock().advance(Duration.ofMinutes(90))); // the 2-hour reminder fell due while down
        try {
            Eventually.await("the late reminder", Duration.ofSeconds(20), () -> appointmentReminders(patient.id()), n -> n == 1);
            assertTrue(hub.http().get("/metrics").body().contains("relais_reminders_fired_total"));
        } finally {
            hub.clock().advance(Duration.ofMinutes(-90));
        }
    }

    @Test
    void treatmentsAndVaccinationsInTheProfileBecomeReminders() {
        Person patient = hub.people().patient("Traitement");
        String base = "/api/v1/patients/" + patient.id() + "/profile";
        Response treatment = patient.http().post(base + "/treatments", new JsonObject().put("medicine", "Lévothyrox")
                .put("dose", "75 µg").put("times", new JsonArray().add("08:00").add("20:00")));
        assertEquals(201, treatment.status(), treatment.body());
        Eventually.await("treatment reminders planned", Duration.ofSeconds(15),
                () -> hub.sql().count("SELECT count(*) FROM reminder_job WHERE patient_id = ? AND kind = 'treatment' AND status = 'pending'",
                        patient.id()), n -> n >= 3);
        hub.hub().agenda().plan(patient.id()).await();
        assertTrue(hub.sql().count("SELECT count(*) FROM reminder_job WHERE patient_id = ? AND kind IN ('vaccination', 'screening')",
                patient.id()) >= 1, "the INS gives age and sex for the prevention calendar");
        String entry = treatment.json().getString("id");
        assertEquals(204, patient.http().delete(base + "/treatments/" + entry).status());
        Eventually.await("treatment reminders cancelled", Duration.ofSeconds(15),
                () -> hub.sql().count("SELECT count(*) FROM reminder_job WHERE patient_id = ? AND kind = 'treatment' AND status = 'pending'",
                        patient.id()), n -> n == 0);
    }

    @Test
    void theCalendarFeedParsesMatchesTheAgendaAndItsLinkCanBeRevoked() {
        Person patient = hub.people().patient("Calendrier");
        Person doctor = hub.people().professional("Dr Ical", "physician");
        LocalDate first = summerDay(60);
        LocalDate second = first.plusDays(22);
        String a = book(doctor, patient, first + "T14:00", first + "T14:30");
        String b = book(doctor, patient, second + "T09:15", second + "T09:45");
        String url = patient.http().post("/api/v1/agenda/calendar-link", new JsonObject()).json().getString("url");
        String path = url.substring(url.indexOf("/api/v1/"));
        Response feed = hub.http().get(path);
        assertEquals(200, feed.status());
        assertTrue(feed.header("Content-Type").startsWith("text/calendar"));
        List<Map<String, String>> events = parseIcs(feed.body());
        Map<String, Map<String, String>> byUid = events.stream().collect(Collectors.toMap(e -> e.get("UID"), e -> e));
        assertEquals(basic(first) + "T120000Z", byUid.get(a + "@relais").get("DTSTART"));
        assertEquals(basic(second) + "T071500Z", byUid.get(b + "@relais").get("DTSTART"));
        assertEquals(basic(second) + "T074500Z", byUid.get(b + "@relais").get("DTEND"));
        assertTrue(feed.body().lines().allMatch(line -> line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 75));
        assertTrue(feed.body().contains("\r\n"));

        assertEquals(204, patient.http().delete("/api/v1/agenda/calendar-link").status());
        assertEquals(404, hub.http().get(path).status());
        assertEquals(404, hub.http().get("/api/v1/agenda.ics?token=guess").status());
    }

    private static List<Map<String, String>> parseIcs(String body) {
        String unfolded = body.replace("\r\n ", "");
        assertTrue(unfolded.startsWith("BEGIN:VCALENDAR\r\n") && unfolded.endsWith("END:VCALENDAR\r\n"));
        List<Map<String, String>> events = new ArrayList<>();
        Map<String, String> current = null;
        for (String line : unfolded.split("\r\n")) {
            if (line.equals("BEGIN:VEVENT")) {
                current = new java.util.HashMap<>();
            } else if (line.equals("END:VEVENT")) {
                events.add(current);
                current = null;
            } else if (current != null) {
                int colon = line.indexOf(':');
                current.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return events;
    }

    private static String book(Person doctor, Person patient, String start, String end) {
        Response booked = doctor.http().post("/api/v1/appointments", new JsonObject().put("patientId", patient.id().toString())
                .put("startsAt", start).put("endsAt", end).put("place", "Cabinet, 3 rue de la Paix"));
        assertEquals(201, booked.status(), booked.body());
        return booked.json().getString("id");
    }

    private static List<String> dues(String appointment) {
        return hub.sql().rows("SELECT due_at FROM reminder_job WHERE source_id = ? AND status = 'pending' ORDER BY due_at",
                        UUID.fromString(appointment)).stream()
                .map(row -> ((java.sql.Timestamp) row.get("due_at")).toInstant().toString()).toList();
    }

    private static long events(UUID recipient, String type) {
        return hub.sql().count("SELECT count(*) FROM stream_event WHERE recipient_id = ? AND type = ?", recipient, type);
    }

    private static long appointmentReminders(UUID recipient) {
        return hub.sql().count("SELECT count(*) FROM stream_event WHERE recipient_id = ? AND type = 'reminder.due' "
                + "AND data->>'kind' = 'appointment'", recipient);
    }

    /** A day of Paris summer time (UTC+2) at least {@code days} after the hub's clock, away from the changes. */
    private static LocalDate summerDay(int days) {
        LocalDate day = hub.clock().instant().atZone(ParisTime.ZONE).toLocalDate().plusDays(days);
        while (!day.getMonth().equals(java.time.Month.JUNE) && !day.getMonth().equals(java.time.Month.JULY)) {
            day = day.plusMonths(1).withDayOfMonth(10);
        }
        return day;
    }

    private static String basic(LocalDate day) {
        return day.toString().replace("-", "");
    }

    private static String paris(Instant instant) {
        return instant.atZone(ParisTime.ZONE).toLocalDateTime().withNano(0).toString();
    }
}
