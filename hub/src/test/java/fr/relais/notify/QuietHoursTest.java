package fr.relais.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.ClockSensitive;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestClock;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Quiet hours at night: the configured default holds digests, and a person who chose none gets theirs at once. */
@ClockSensitive
class QuietHoursTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("notify.quietHours", "22:00-08:00");

    @Test
    void aPersonWhoChoseNoQuietHoursIsEmailedAtNightAndTheOthersWaitForTheMorning() {
        Person doctor = hub.people().professional("Dr Garde", "physician");
        Person chose = hub.people().patient("Noctambule");
        Person never = hub.people().patient("Dormeuse");
        assertEquals(200, chose.http().put("/api/v1/me/notifications", new JsonObject().putNull("quietHours")).status());
        assertEquals(null, chose.http().get("/api/v1/me/notifications").json().getValue("quietHours"));
        assertEquals("22:00-08:00", never.http().get("/api/v1/me/notifications").json().getString("quietHours"));
        for (Person patient : new Person[] {chose, never}) {
            hub.people().treats(doctor, patient);
            assertEquals(201, doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Résultats")
                    .put("participants", new JsonArray().add(patient.id().toString()))
                    .put("message", new JsonObject().put("body", "Bonjour"))).status());
        }
        Duration toThreeAtNight = untilParis(LocalTime.of(3, 0));
        hub.clock().advance(toThreeAtNight);
        try {
            hub.emailWhatWasMissed();
            assertEquals(1, digestsSentTo(chose), "no quiet hours: the digest leaves at 03:00");
            assertEquals(0, digestsSentTo(never), "the default quiet hours hold it until 08:00");
        } finally {
            hub.clock().advance(toThreeAtNight.negated());
        }
    }

    private static long digestsSentTo(Person patient) {
        return hub.sql().count("SELECT count(*) FROM outbox WHERE recipient_id = ? AND category = 'digest' AND status = 'sent'",
                patient.id());
    }

    private static Duration untilParis(LocalTime time) {
        var now = hub.clock().instant().atZone(TestClock.PARIS);
        var next = now.with(time);
        return Duration.between(now, next.isAfter(now) ? next : next.plusDays(1).with(time));
    }
}
