package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every date and time a client sends is refused outside 1900-01-01 to 2200-12-31 with {@code 400 invalid_field}
 * naming the field: nothing absurd is stored, nor sent to PostgreSQL in a query.
 */
class DateWindowTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static final List<String> DATES = List.of("-5000-01-01", "+300000-01-01", "1899-12-31", "2201-01-01");
    private static final List<String> TIMES = List.of("-5000-01-01T10:00", "+300000-01-01T10:00:00Z", "1899-12-31T12:00:00Z",
            "2201-01-01T10:00", "-999999999-01-01T00:00:00Z");

    /** One field that holds a date or a time: who sends it, and the request that carries {@code value} in it. */
    private record DateField(String field, List<String> values, BiFunction<BadInputFixtures, String, Response> send) {
    }

    private static final List<DateField> FIELDS = List.of(
            body("startsAt", TIMES, f -> f.pro, "POST", f -> "/api/v1/appointments", (f, v) -> f.appointmentBody().put("startsAt", v)),
            body("endsAt", TIMES, f -> f.pro, "POST", f -> "/api/v1/appointments", (f, v) -> f.appointmentBody().put("endsAt", v)),
            body("startsAt", TIMES, f -> f.pro, "PUT", f -> "/api/v1/appointments/" + f.appointment,
                    (f, v) -> f.appointmentBody().put("startsAt", v)),
            body("endsAt", TIMES, f -> f.pro, "PUT", f -> "/api/v1/appointments/" + f.appointment,
                    (f, v) -> f.appointmentBody().put("endsAt", v)),
            query("from", TIMES, f -> f.patient, f -> "/api/v1/appointments?from="),
            query("to", TIMES, f -> f.patient, f -> "/api/v1/appointments?to="),
            body("careDate", DATES, f -> f.pro, "POST", f -> "/api/v1/documents",
                    (f, v) -> f.deposit().put("patientId", f.patient.id().toString()).put("careDate", v)),
            body("careDate", DATES, f -> f.pro, "POST", f -> "/api/v1/documents/" + f.document + "/versions",
                    (f, v) -> f.deposit().put("careDate", v)),
            body("careDate", DATES, f -> f.pro, "POST",
                    f -> "/api/v1/conversations/" + f.conversation + "/attachments/" + f.attachment + "/file-to-record",
                    (f, v) -> new JsonObject().put("kind", "lab_result").put("careDate", v)),
            query("from", DATES, f -> f.patient, f -> "/api/v1/patients/" + f.patient.id() + "/documents?from="),
            query("to", DATES, f -> f.patient, f -> "/api/v1/patients/" + f.patient.id() + "/documents?to="),
            query("before", DATES.stream().map(d -> d + "_" + UUID.randomUUID()).toList(), f -> f.patient,
                    f -> "/api/v1/patients/" + f.patient.id() + "/documents?before="),
            query("before", List.of("-5000-01-01T00:00:00Z_" + UUID.randomUUID(), "+300000-01-01T00:00:00Z_" + UUID.randomUUID()),
                    f -> f.patient, f -> "/api/v1/conversations?before="),
            body("data.date", DATES, f -> f.patient, "POST", f -> profile(f, "vaccinations"),
                    (f, v) -> new JsonObject().put("vaccine", "dTP").put("date", v)),
            body("data.since", DATES, f -> f.patient, "POST", f -> profile(f, "conditions"),
                    (f, v) -> new JsonObject().put("name", "Asthme").put("since", v)),
            body("data.from", DATES, f -> f.patient, "POST", f -> profile(f, "treatments"),
                    (f, v) -> treatment().put("from", v)),
            body("data.until", DATES, f -> f.patient, "POST", f -> profile(f, "treatments"),
                    (f, v) -> treatment().put("until", v)),
            body("data.at", List.of("-5000-01-01T08:00:00Z", "1899-12-31T08:00:00+01:00", "-999999999-01-01T00:00:00Z"),
                    f -> f.patient, "POST", f -> profile(f, "measurements"),
                    (f, v) -> new JsonObject().put("type", "weight").put("unit", "kg").put("value", 70).put("at", v)));

    private static BadInputFixtures fixtures;

    @BeforeAll
    static void makeTheTargets() {
        fixtures = new BadInputFixtures(hub);
    }

    @Test
    void everyDateOrTimeOutsideTheWindowIsRefusedNamingItsField() {
        List<String> wrong = new ArrayList<>();
        for (DateField date : FIELDS) {
            for (String value : date.values()) {
                Response response = date.send().apply(fixtures, value);
                String code = response.status() == 400 ? response.json().getString("code") : null;
                String field = response.status() == 400 ? response.json().getString("field") : null;
                if (!"invalid_field".equals(code) || !date.field().equals(field)) {
                    wrong.add(date.field() + "=" + value + " → " + response.status() + " " + response.body());
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theWindowsEdgesAreAccepted() {
        Response first = fixtures.patient.http().post(profile(fixtures, "vaccinations"),
                new JsonObject().put("vaccine", "BCG").put("date", "1900-01-01"));
        assertEquals(201, first.status(), first.body());
        Response last = fixtures.patient.http().get("/api/v1/appointments?from=1900-01-01T01:00&to=2200-12-31T23:00");
        assertEquals(200, last.status(), last.body());
    }

    private static DateField body(String field, List<String> values, Function<BadInputFixtures, Person> who, String method,
                                  Function<BadInputFixtures, String> path, BiFunction<BadInputFixtures, String, JsonObject> body) {
        return new DateField(field, values, (f, value) -> method.equals("PUT")
                ? who.apply(f).http().put(path.apply(f), body.apply(f, value))
                : who.apply(f).http().post(path.apply(f), body.apply(f, value)));
    }

    private static DateField query(String field, List<String> values, Function<BadInputFixtures, Person> who,
                                   Function<BadInputFixtures, String> path) {
        return new DateField(field, values, (f, value) -> who.apply(f).http().get(path.apply(f)
                + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String profile(BadInputFixtures f, String section) {
        return "/api/v1/patients/" + f.patient.id() + "/profile/" + section;
    }

    private static JsonObject treatment() {
        return new JsonObject().put("medicine", "Doliprane").put("dose", "1 g").put("times", new io.vertx.core.json.JsonArray().add("08:00"));
    }
}
