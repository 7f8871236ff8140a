package fr.relais.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.DatabaseScan;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.PushDevice;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * People's devices through the public API, with the default configuration: a person adds, lists and removes their
 * own; nobody else sees or removes them; systems, apps and admins have none; every bad subscription is refused
 * with the field named; the endpoint and keys are never stored in clear.
 */
class PushSubscriptionTest {
    /** A public address (TEST-NET-3): accepted without any DNS look-up, never called by these tests. */
    private static final String SERVICE = "https://93.184.215.14/push/";
    private static final String CHROME_ON_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Mobile Safari/537.36";

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aPersonAddsListsAndRemovesTheirDevice() {
        Person patient = hub.people().patient("Patiente aux notifications");
        PushDevice phone = PushDevice.at(SERVICE + UUID.randomUUID());
        Response key = patient.http().get("/api/v1/push/key");
        assertEquals(200, key.status(), key.body());
        assertEquals(65, Base64.getUrlDecoder().decode(key.json().getString("applicationServerKey")).length);

        Response added = subscribe(patient, phone.subscription(), CHROME_ON_ANDROID);
        assertEquals(201, added.status(), added.body());
        String id = added.json().getString("id");
        assertEquals("Chrome · Android", added.json().getString("label"), "derived from the User-Agent, never the header itself");
        assertTrue(added.json().containsKey("createdAt"));

        Response again = subscribe(patient, phone.subscription().put("label", "Mon téléphone"), CHROME_ON_ANDROID);
        assertEquals(200, again.status(), "the same endpoint again is the same device: " + again.body());
        assertEquals(id, again.json().getString("id"));
        assertEquals("Mon téléphone", again.json().getString("label"), "a label the person chose replaces the derived one");

        JsonArray devices = new JsonArray(patient.http().get("/api/v1/push/subscriptions").body());
        assertEquals(1, devices.size());
        JsonObject device = devices.getJsonObject(0);
        assertEquals(id, device.getString("id"));
        assertEquals("Mon téléphone", device.getString("label"));
        assertNull(device.getString("lastUsedAt"), "nothing was sent yet");
        assertEquals(java.util.Set.of("id", "label", "createdAt", "lastUsedAt"), device.fieldNames(), "never the endpoint or the keys");

        String p256dh = phone.subscription().getJsonObject("keys").getString("p256dh");
        String auth = phone.subscription().getJsonObject("keys").getString("auth");
        assertEquals(List.of(), DatabaseScan.of(hub.hub().database()).find(List.of(phone.endpoint(), p256dh, auth)),
                "the endpoint and the keys are sealed");

        assertEquals(204, patient.http().delete("/api/v1/push/subscriptions/" + id).status());
        assertEquals("[]", patient.http().get("/api/v1/push/subscriptions").body());
        assertEquals(404, patient.http().delete("/api/v1/push/subscriptions/" + id).status());
    }

    @Test
    void nobodyElseSeesOrRemovesAPersonsDevice() {
        Person owner = hub.people().patient("Propriétaire du téléphone");
        Person other = hub.people().patient("Autre patiente");
        Person doctor = hub.people().physicianOf(owner, "Dr Curieux");
        PushDevice phone = PushDevice.at(SERVICE + UUID.randomUUID());
        String id = subscribe(owner, phone.subscription(), null).json().getString("id");

        for (Person stranger : List.of(other, doctor)) {
            assertEquals("[]", stranger.http().get("/api/v1/push/subscriptions").body());
            Response refused = stranger.http().delete("/api/v1/push/subscriptions/" + id);
            assertEquals(404, refused.status(), "like a device that does not exist: " + refused.body());
            assertEquals("not_found", refused.json().getString("code"));
        }
        assertEquals(1, new JsonArray(owner.http().get("/api/v1/push/subscriptions").body()).size(), "still there");

        Response shared = subscribe(other, phone.subscription(), null);
        assertEquals(201, shared.status(), "a browser two people use is a device of each: " + shared.body());
        assertFalse(id.equals(shared.json().getString("id")));
        assertEquals(404, owner.http().delete("/api/v1/push/subscriptions/not-an-id").status());
    }

    @Test
    void peopleHaveDevicesSystemsAppsAndAdminsDoNot() {
        Person patient = hub.people().patient("Patiente bloqueuse");
        Person professional = hub.people().professional("Dr Pro", "physician");
        Person blocked = hub.people().physicianOf(patient, "Dr Bloqué");
        hub.people().blocks(patient, blocked);
        for (Person person : List.of(patient, professional, blocked)) {
            assertEquals(200, person.http().get("/api/v1/push/key").status());
            Response added = subscribe(person, PushDevice.at(SERVICE + UUID.randomUUID()).subscription(), null);
            assertEquals(201, added.status(), "a professional's own devices do not depend on any patient: " + added.body());
            assertEquals(200, person.http().get("/api/v1/push/subscriptions").status());
        }

        Person system = hub.people().integrator("Labo sans téléphone", "stream:read");
        Person app = hub.people().connectedApp(patient, "Appli sans notifications", "patient/DocumentReference.read");
        Person admin = hub.people().admin("Admin sans téléphone");
        for (Person caller : List.of(system, app, admin)) {
            for (Response refused : List.of(caller.http().get("/api/v1/push/key"), caller.http().get("/api/v1/push/subscriptions"),
                    subscribe(caller, PushDevice.at(SERVICE + UUID.randomUUID()).subscription(), null),
                    caller.http().delete("/api/v1/push/subscriptions/" + UUID.randomUUID()))) {
                assertEquals(403, refused.status(), refused.body());
                assertEquals("forbidden", refused.json().getString("code"));
            }
        }
        assertEquals(401, hub.http().get("/api/v1/push/key").status());
    }

    @Test
    void aBadSubscriptionIsRefusedWithItsFieldNamed() {
        Person patient = hub.people().patient("Patiente aux mauvaises clés");
        JsonObject good = PushDevice.at(SERVICE + "good").subscription();
        String p256dh = good.getJsonObject("keys").getString("p256dh");
        byte[] offCurve = Base64.getUrlDecoder().decode(p256dh);
        offCurve[64] ^= 1;
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        Map<String, JsonObject> bad = new java.util.LinkedHashMap<>();
        bad.put("endpoint", good.copy().put("endpoint", "http://93.184.215.14/push/plain"));
        bad.put("endpoint ", good.copy().put("endpoint", "https://127.0.0.1/push/loopback"));
        bad.put("endpoint  ", good.copy().put("endpoint", "https://10.0.0.8/push/private"));
        bad.put("endpoint   ", good.copy().put("endpoint", "https://[::1]/push/loopback"));
        bad.put("endpoint    ", good.copy().put("endpoint", "https://user:pw@93.184.215.14/push/x"));
        bad.put("endpoint     ", good.copy().put("endpoint", "https://[2001:db8::1]/push/documentation-range"));
        bad.put("expirationTime ", good.copy().put("expirationTime", -1));
        bad.put("label  ", good.copy().put("label", "\u202eevil"));
        bad.put("label   ", good.copy().put("label", "a\nb"));
        bad.put("endpoint     ", good.copy().put("endpoint", "not a url"));
        bad.put("endpoint      ", good.copy().put("endpoint", 42));
        bad.put("endpoint       ", without(good, "endpoint"));
        bad.put("keys", without(good, "keys"));
        bad.put("keys.p256dh", withKey(good, "p256dh", base64url.encodeToString(java.util.Arrays.copyOf(offCurve, 64))));
        bad.put("keys.p256dh ", withKey(good, "p256dh", base64url.encodeToString(offCurve)));
        bad.put("keys.p256dh  ", withKey(good, "p256dh", "not*base64"));
        bad.put("keys.p256dh   ", withKey(good, "p256dh", null));
        bad.put("keys.auth", withKey(good, "auth", base64url.encodeToString(new byte[15])));
        bad.put("keys.auth ", withKey(good, "auth", base64url.encodeToString(new byte[17])));
        bad.put("keys.auth  ", withKey(good, "auth", null));
        bad.put("label", good.copy().put("label", "x".repeat(61)));
        bad.put("label ", good.copy().put("label", "   "));
        bad.put("expirationTime", good.copy().put("expirationTime", "tomorrow"));
        bad.forEach((field, body) -> {
            Response refused = subscribe(patient, body, null);
            assertEquals(400, refused.status(), field + ": " + refused.body());
            assertEquals("invalid_field", refused.json().getString("code"), refused.body());
            assertEquals(field.strip(), refused.json().getString("field"), refused.body());
        });
        assertEquals("[]", patient.http().get("/api/v1/push/subscriptions").body());
    }

    @Test
    void aPersonHasAtMostTwentyDevices() {
        Person patient = hub.people().patient("Patiente aux vingt appareils");
        JsonObject first = PushDevice.at(SERVICE + UUID.randomUUID()).subscription();
        assertEquals(201, subscribe(patient, first, null).status());
        for (int i = 1; i < 20; i++) {
            assertEquals(201, subscribe(patient, PushDevice.at(SERVICE + UUID.randomUUID()).subscription(), null).status());
        }
        Response refused = subscribe(patient, PushDevice.at(SERVICE + UUID.randomUUID()).subscription(), null);
        assertEquals(409, refused.status(), refused.body());
        assertEquals("too_many_devices", refused.json().getString("code"));
        assertEquals(200, subscribe(patient, first, null).status(), "a device already there can still renew its keys");
        assertEquals(20, new JsonArray(patient.http().get("/api/v1/push/subscriptions").body()).size());
    }

    @Test
    void aClosedSpaceTakesItsDevicesWithIt() {
        Person patient = hub.people().patient("Patiente qui part");
        assertEquals(201, subscribe(patient, PushDevice.at(SERVICE + UUID.randomUUID()).subscription(), null).status());
        assertEquals(1, hub.sql().count("SELECT count(*) FROM push_subscription WHERE account_id = ?", patient.id()));
        assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());
        assertEquals(0, hub.sql().count("SELECT count(*) FROM push_subscription WHERE account_id = ?", patient.id()));
    }

    private static Response subscribe(Person person, JsonObject body, String userAgent) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Authorization", "Bearer " + person.accessToken()));
        if (userAgent != null) {
            headers.put("User-Agent", userAgent);
        }
        return hub.http().send("POST", "/api/v1/push/subscriptions", headers, "application/json", body.encode());
    }

    private static JsonObject without(JsonObject body, String member) {
        JsonObject copy = body.copy();
        copy.remove(member);
        return copy;
    }

    private static JsonObject withKey(JsonObject body, String key, String value) {
        JsonObject copy = body.copy();
        copy.getJsonObject("keys").put(key, value);
        return copy;
    }
}
