package fr.relais.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMailUtil;
import fr.relais.mail.Email;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
import fr.relais.testing.CapturedLogs;
import fr.relais.testing.Eventually;
import fr.relais.testing.Footprint;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.PlaintextSearch;
import fr.relais.testing.TestHub;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * No health data in clear anywhere the hub keeps or sends text: after people wrote distinctive accented texts
 * into every feature, none of them is found in the database, in the logs at DEBUG, nor in any email, decoded.
 * The same search finds a text planted in each of those places, so an empty result means something.
 */
class PlaintextScanTest {
    @RegisterExtension
    @Order(1)
    static final CapturedLogs logs = CapturedLogs.atDebug();

    @RegisterExtension
    @Order(2)
    static final TestHub hub = TestHub.create();

    private final PlaintextSearch search = new PlaintextSearch(hub, logs);

    @Test
    void nothingThatWasWrittenIsFoundInClearInTheDatabaseTheLogsOrTheEmails() {
        Footprint footprint = Footprint.leave(hub);

        assertTrue(logs.size() > 0, "the hub's logs were captured");
        assertTrue(hub.mail().getReceivedMessagesForDomain(footprint.patient().email()).length > 0, "emails were sent");
        assertEquals(List.of(), search.find(footprint.written()));
    }

    @Test
    void loginCodesAreNotLoggedEvenAtDebug() {
        Person patient = hub.people().patient("Codes");
        hub.people().startLogin(patient.email(), People.PASSWORD);
        String code = hub.people().awaitCode(patient.email());
        assertEquals(List.of(), logs.containing("est : " + code), "the emailed code is a secret");
    }

    @Test
    void theSearchFindsATextPlantedInATableAColumnOfBytesALogLineAndAnEmail() {
        Person patient = hub.people().patient("Planté");
        hub.sql().execute("CREATE TABLE planted (note text, details jsonb, blob bytea)");
        try {
            hub.sql().execute("INSERT INTO planted VALUES ('Planté-Ωméga-7731-table', '{\"x\": \"Planté-Ωméga-7731-jsonb\"}', "
                    + "convert_to('Planté-Ωméga-7731-bytes', 'UTF8'))");
            LoggerFactory.getLogger("fr.relais.planted").debug("a careless line: {}", "Planté-Ωméga-7731-log");
            sendThroughTheOutbox(patient, "Planté-Ωméga-7731-subject", "Planté-Ωméga-7731-body");

            assertFound("database: planted.note", "Planté-Ωméga-7731-table");
            assertFound("database: planted.details", "Planté-Ωméga-7731-jsonb");
            assertFound("database: planted.blob", "Planté-Ωméga-7731-bytes");
            assertFound("log: ", "Planté-Ωméga-7731-log");
            assertFound("email: ", "Planté-Ωméga-7731-subject");
            assertFound("email: ", "Planté-Ωméga-7731-body");
        } finally {
            hub.sql().execute("DROP TABLE planted");
        }
    }

    private void assertFound(String where, String planted) {
        List<String> found = search.find(List.of(planted));
        assertTrue(found.stream().anyMatch(line -> line.startsWith(where)), planted + " should be found in " + where + ": " + found);
    }

    private static String subjectOf(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sendThroughTheOutbox(Person to, String subject, String body) {
        hub.hub().streams().pool().withTransaction(tx -> hub.hub().outbox().enqueue(tx,
                        new Email(to.email(), subject, body, "<p>" + body + "</p>").outgoing("planted:" + to.id(), to.id(), "security",
                                Outbox.SECURITY, hub.clock().instant())))
                .await();
        hub.hub().outbox().kick(Channel.EMAIL);
        var planted = Eventually.await("the planted email", Duration.ofSeconds(15),
                () -> Arrays.stream(hub.mail().getReceivedMessagesForDomain(to.email()))
                        .filter(m -> subject.equals(subjectOf(m))).toList(),
                list -> !list.isEmpty()).get(0);
        assertFalse(GreenMailUtil.getWholeMessage(planted).contains(body), "the raw email hides the accented body");
    }
}
