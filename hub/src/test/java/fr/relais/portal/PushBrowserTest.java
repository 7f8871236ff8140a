package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.push.PushTexts;
import fr.relais.testing.Browser;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.PushDevice;
import fr.relais.testing.TestHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifications in a real headless Chromium. The settings offer them on this device and list the person's devices,
 * each removable. Headless Chromium reaches no push service, so the test hands the portal's service worker a push
 * the way the browser's push service would deliver it, through the DevTools protocol
 * ({@code ServiceWorker.deliverPushMessage}): the worker shows the count-only notification, which the page reads back
 * with {@code registration.getNotifications()}. DevTools cannot click a notification; the click is the worker's own
 * {@code notificationclick} handler, given that notification in an event dispatched inside the worker.
 */
class PushBrowserTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void theSettingsListTheDevicesAndAPushShowsANotificationThatOpensItsPage() {
        Person patient = hub.people().patient("Léa Martin");
        Response added = patient.http().post("/api/v1/push/subscriptions",
                PushDevice.at("https://93.184.215.14/push/tablet").subscription().put("label", "Tablette du salon"));
        assertEquals(201, added.status(), added.body());
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.devTools("Browser.grantPermissions", Map.of("origin", page.origin(), "permissions", List.of("notifications")));
            hub.people().logIn(page, patient);
            page.go("#/settings");
            page.awaitText("#push-devices", "Tablette du salon");
            page.find("#push-enable");
            assertEquals(List.of(), page.accessibilityProblems(), "settings with the devices");
            page.run("document.getElementById('push-devices-block').scrollIntoView()");
            page.screenshot("patient-push-devices");

            Map<?, ?> shown = pushAndAwaitNotification(page, PushTexts.payload("fr", Map.of("documents", 2)).encode());
            assertEquals("Du nouveau dans votre espace santé", shown.get("title"));
            assertEquals("Vous avez 2 nouveaux documents", shown.get("body"));
            assertEquals("relais-documents", shown.get("tag"));
            assertEquals("/#/documents", shown.get("url"));

            clickFirstNotification(page);
            page.awaitHash("#/documents");
            page.awaitText("main h1", "Mes documents");
            Eventually.await("the notification closed by its click", Duration.ofSeconds(10), () -> notifications(page), List::isEmpty);

            page.go("#/settings");
            page.click("#push-devices button");
            page.awaitText("#push-devices-block", "Aucun appareil ne reçoit de notifications.");
            assertEquals("[]", patient.http().get("/api/v1/push/subscriptions").body());
        }
    }

    @Test
    void aNotificationNeverOpensAnotherSite() {
        Person patient = hub.people().patient("Noé Petit");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            page.devTools("Browser.grantPermissions", Map.of("origin", page.origin(), "permissions", List.of("notifications")));
            hub.people().logIn(page, patient);
            Map<?, ?> shown = pushAndAwaitNotification(page, "{\"title\":\"T\",\"body\":\"B\",\"url\":\"//evil.example/\",\"tag\":\"x\"}");
            assertEquals("/", shown.get("url"), "a url that is not a path of the portal is dropped");
        }
    }

    /**
     * Hands the push to the worker until it shows a notification: DevTools learns of the worker's registration a
     * moment after {@code ServiceWorker.enable}, and a push for a registration it does not know yet is dropped.
     */
    private static Map<?, ?> pushAndAwaitNotification(Browser page, String data) {
        page.evaluateAsync("navigator.serviceWorker.ready.then(() => arguments[arguments.length - 1](true))");
        page.devTools("ServiceWorker.enable", Map.of());
        return Eventually.await("the notification shown", Duration.ofSeconds(20), () -> {
            List<Map<?, ?>> shown = notifications(page);
            if (shown.isEmpty()) {
                deliver(page, data);
            }
            return shown;
        }, list -> !list.isEmpty()).get(0);
    }

    /** The push, as the browser's push service would hand it to the worker registered for the portal. */
    private static void deliver(Browser page, String data) {
        // The registration's id is the browser's own and no page can read it; a fresh profile holds the portal's worker
        // only, numbered from 0, and a push for an id that has no registration goes nowhere: each low id is tried once.
        for (int id = 0; id < 10; id++) {
            try {
                page.devTools("ServiceWorker.deliverPushMessage", Map.of("origin", page.origin(), "registrationId", String.valueOf(id), "data", data));
            } catch (RuntimeException noSuchRegistration) {
                // not this one
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> notifications(Browser page) {
        return (List<Map<?, ?>>) page.evaluateAsync("""
                const done = arguments[arguments.length - 1];
                navigator.serviceWorker.ready.then((r) => r.getNotifications())
                  .then((ns) => done(ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }))));""");
    }

    /**
     * The worker's click handler, run inside the worker on the notification it showed: DevTools attaches to the
     * worker and dispatches {@code notificationclick} there (an event the test makes, so the browser grants it no
     * user activation: focusing the window is refused, the navigation is not).
     */
    private static void clickFirstNotification(Browser page) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) page.devTools("Target.getTargets", Map.of()).get("targetInfos");
        String worker = targets.stream().filter(t -> "service_worker".equals(t.get("type"))).map(t -> (String) t.get("targetId"))
                .findFirst().orElseThrow(() -> new AssertionError("no service worker target in " + targets));
        String session = (String) page.devTools("Target.attachToTarget", Map.of("targetId", worker, "flatten", false)).get("sessionId");
        String click = "self.registration.getNotifications().then((ns) => self.dispatchEvent(new NotificationEvent('notificationclick', "
                + "{ notification: ns[0] })))";
        page.devTools("Target.sendMessageToTarget", Map.of("sessionId", session, "message",
                new io.vertx.core.json.JsonObject().put("id", 1).put("method", "Runtime.evaluate")
                        .put("params", new io.vertx.core.json.JsonObject().put("expression", click)).encode()));
        assertTrue(session != null && !session.isEmpty());
    }
}
