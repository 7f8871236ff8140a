package fr.relais.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.db.DatabaseEndpoint;
import fr.relais.testing.ClockSensitive;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.HubProcess;
import fr.relais.testing.People;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code relais user …} provisions from the console, beside a running hub on the same database. */
@ClockSensitive
class UserCommandTest {
    private static final Pattern CODE = Pattern.compile("activation code: (\\S+)");

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void aProfessionalCreatedFromTheConsoleActivatesAndLogsIn() throws Exception {
        String email = "console.pro@example.fr";
        String output = run(0, "user", "add-pro", "--rpps", People.rppsNumber(), "--profession", "nurse",
                "--email", email, "--name", "Infirmière Console");
        Matcher code = CODE.matcher(output);
        assertTrue(code.find(), output);
        Response activated = hub.http().postJson("/api/v1/auth/activate",
                new JsonObject().put("code", code.group(1)).put("password", People.PASSWORD));
        assertEquals(200, activated.status(), activated.body());
        assertEquals("nurse", hub.people().logIn(email, People.PASSWORD).http().get("/api/v1/me").json().getString("profession"));
    }

    @Test
    void aBadValueIsReportedWithItsCode() throws Exception {
        String output = run(1, "user", "add-patient", "--ins", "123", "--email", "p@example.fr", "--name", "P");
        assertTrue(output.contains("relais: invalid_field: An INS has 15 characters"), output);
    }

    @Test
    void anIntegratorOfARegisteredOrganisationHasItsSecretPrintedOnce() throws Exception {
        String registered = run(0, "user", "add-organisation", "--kind", "hospital", "--name", "Hôpital", "--finess", "750000001");
        java.util.regex.Matcher id = Pattern.compile("organisation ([0-9a-f-]{36}) \\(hospital\\)").matcher(registered);
        assertTrue(id.find(), registered);
        String output = run(0, "user", "add-client", "--name", "DPI", "--organisation", id.group(1),
                "--scopes", "stream:read,documents:write");
        assertTrue(output.contains("client_id=rl_") && output.contains("client_secret="), output);
    }

    @Test
    void theStandardOutputIsTheResultAloneAndTheLogsGoToStandardError() throws Exception {
        HubProcess process = runLogging("INFO", 0, "user", "add-patient", "--ins", People.insNumber(), "--email",
                "console.patient@example.fr", "--name", "Patiente Console");
        List<String> result = process.standardOutput().lines().toList();
        assertEquals(2, result.size(), process.output());
        assertTrue(result.get(0).matches("account [0-9a-f-]{36} \\(patient, pending\\)"), process.output());
        assertTrue(CODE.matcher(result.get(1)).matches(), process.output());
        assertTrue(process.output().contains(" INFO "), "the logs were written, elsewhere:\n" + process.output());
    }

    private static String run(int expectedExit, String... args) throws Exception {
        return runLogging("WARN", expectedExit, args).output();
    }

    /** {@code relais <args>} beside this class's hub, logging at {@code level}: the ended process. */
    private static HubProcess runLogging(String level, int expectedExit, String... args) throws Exception {
        DatabaseEndpoint db = hub.hub().database();
        Path work = Files.createDirectories(Path.of("target", "user-command-" + System.nanoTime()));
        Map<String, String> env = Map.of(
                "RELAIS_DB_URL", "postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
                "RELAIS_DB_USER", db.user(), "RELAIS_DB_PASSWORD", db.password(),
                "RELAIS_SECRETS_DIR", hub.config().secrets().dir().toAbsolutePath().toString(),
                "RELAIS_LOG_LEVEL", level);
        try (HubProcess process = HubProcess.start(work, env, args)) {
            assertEquals(expectedExit, process.awaitExit(Duration.ofSeconds(60)), process.output());
            return process;
        }
    }
}
