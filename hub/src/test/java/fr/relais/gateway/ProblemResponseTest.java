package fr.relais.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProblemResponseTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create().with("http.maxBodySize", "4KiB");

    @Test
    void unknownRouteIsA404Problem() {
        Response response = hub.http().get("/no/such/place");
        assertProblem(response, 404, "not_found");
    }

    @Test
    void wrongMethodIsA405Problem() {
        Response response = hub.http().send("DELETE", "/health/live", Map.of());
        assertProblem(response, 405, "method_not_allowed");
    }

    @Test
    void bodyOverTheLimitIsA413Problem() {
        Response response = hub.http().post("/api/v1/anything", "application/json", new byte[5 * 1024]);
        assertProblem(response, 413, "body_too_large");
    }

    @Test
    void bodyUnderTheLimitPassesTheLimit() {
        Response response = hub.http().post("/api/v1/anything", "application/json", "{}".getBytes());
        assertProblem(response, 404, "not_found");
    }

    private static void assertProblem(Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.header("Content-Type"));
        JsonObject problem = response.json();
        assertEquals(status, problem.getInteger("status"));
        assertEquals(code, problem.getString("code"));
        assertEquals("urn:relais:problem:" + code, problem.getString("type"));
        assertTrue(problem.getString("title").length() > 0);
        assertTrue(problem.getString("detail").length() > 0);
        assertEquals(response.header("X-Request-Id"), problem.getString("requestId"));
    }
}
