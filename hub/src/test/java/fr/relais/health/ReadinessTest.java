package fr.relais.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.db.embedded.EmbeddedPostgres;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.TestHub;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness follows the database: a hub on an embedded server of its own, which the test stops and restarts. */
class ReadinessTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("db.url", "")
            .with("db.embedded.dir", "target/readiness-postgres-" + ProcessHandle.current().pid());

    @Test
    void notReadyWhileTheDatabaseIsDownAndReadyAgainWhenItIsBack() {
        EmbeddedPostgres database = hub.hub().embeddedDatabase().orElseThrow();
        assertEquals(200, hub.http().get("/health/ready").status());

        database.stop();
        try {
            Response down = Eventually.await("readiness to fail", DEADLINE,
                    () -> hub.http().get("/health/ready"), r -> r.status() == 503);
            assertEquals("DOWN", down.json().getString("status"));
            assertEquals("DOWN", down.json().getJsonObject("checks").getString("database"));
            assertEquals(200, hub.http().get("/health/live").status(), "the process itself is still alive");
        } finally {
            database.restart();
        }

        Response up = Eventually.await("readiness to come back", DEADLINE,
                () -> hub.http().get("/health/ready"), r -> r.status() == 200);
        assertEquals("UP", up.json().getJsonObject("checks").getString("database"));
    }
}
