package fr.relais.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import fr.relais.testing.WsTestClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A system's socket runs its commands side by side, but what waits behind them is bounded: memory is not its queue. */
class SystemSocketLimitsTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("ws.systemCommandsInFlight", "1");

    @Test
    void aSystemThatSendsFarMoreCommandsThanItsWindowWithoutWaitingIsClosedWith4008() {
        Person lab = hub.people().integrator("Labo pressant", "documents:write");
        Person patient = hub.people().patient("Patiente du labo pressant");
        JsonObject document = new JsonObject().put("patientId", patient.id().toString()).put("kind", "lab_result")
                .put("title", "Bilan").put("careDate", "2026-11-20").put("contentType", "application/pdf")
                .put("data", Base64.getEncoder().encodeToString("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
        try (WsTestClient socket = WsTestClient.connect(hub.port(), lab.accessToken())) {
            socket.awaitType("authenticated");
            for (int i = 0; i < 50; i++) {
                socket.send(new JsonObject().put("type", "command").put("id", "b-" + i).put("op", "document.deposit")
                        .put("args", document).put("idempotencyKey", "burst-" + i));
            }
            assertEquals(CloseCodes.RATE_LIMITED, socket.awaitClose(), "50 commands sent at once behind a window of 1");
        }
    }
}
