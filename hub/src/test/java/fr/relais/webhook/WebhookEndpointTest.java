package fr.relais.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the defaults, a system cannot point the hub's webhook calls into the hub's own network. */
class WebhookEndpointTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aWebhookIntoAPrivateNetworkIsRefused() {
        Person system = hub.people().integrator("Labo curieux", "stream:read");
        for (String url : List.of("https://localhost/hook", "https://127.0.0.1:8443/hook", "https://10.1.2.3/hook",
                "https://192.168.0.10/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://[fd00::1]/hook")) {
            Response refused = system.http().put("/api/v1/webhook", new JsonObject().put("url", url));
            assertEquals(400, refused.status(), url + " " + refused.body());
            assertEquals("url", refused.json().getString("field"));
            assertTrue(refused.json().getString("detail").contains("private network"), refused.body());
        }
        assertEquals(404, system.http().get("/api/v1/webhook").status(), "nothing was set");
    }
}
