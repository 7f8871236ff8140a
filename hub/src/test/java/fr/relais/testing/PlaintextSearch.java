package fr.relais.testing;

import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a hub keeps or sends text: its whole database ({@link DatabaseScan}), its logs at DEBUG
 * ({@link CapturedLogs}) and every email its SMTP server received, decoded ({@link DecodedMail}). A search says
 * where each string was found; a privacy test expects nothing.
 */
public final class PlaintextSearch {
    private final TestHub hub;
    private final CapturedLogs logs;

    public PlaintextSearch(TestHub hub, CapturedLogs logs) {
        this.hub = hub;
        this.logs = logs;
    }

    /** One line per place where one of {@code needles} was found. */
    public List<String> find(Collection<String> needles) {
        List<String> found = new ArrayList<>();
        DatabaseScan.of(hub.hub().database()).find(needles).forEach(hit -> found.add("database: " + hit));
        List<String> emails = new ArrayList<>();
        for (MimeMessage message : hub.mail().getReceivedMessages()) {
            emails.add(DecodedMail.text(message));
        }
        for (String needle : needles) {
            logs.containing(needle).forEach(line -> found.add("log: " + line.strip()));
            emails.stream().filter(email -> email.contains(needle))
                    .forEach(email -> found.add("email: \"" + needle + "\" in " + email.lines().limit(12).toList()));
        }
        return found;
    }
}
