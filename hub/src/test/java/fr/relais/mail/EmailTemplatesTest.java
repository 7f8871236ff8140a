package fr.relais.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.Hub;
import fr.relais.identity.IdentityEmails;
import fr.relais.notify.Category;
import fr.relais.notify.DigestEmails;
import fr.relais.notify.NotifyModule;
import fr.relais.testing.DecodedMail;
import fr.relais.testing.Eventually;
import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Emails are written from templates: the engine escapes what goes into HTML, and no language lacks a template. */
class EmailTemplatesTest {
    private static final Pattern TEMPLATE_FILE = Pattern.compile("([a-z-]+)\\.([a-z]{2})((?:\\.[a-z]+)?)\\.mustache");

    @RegisterExtension
    static final TestHub hub = TestHub.create()
            .with("notify.quietHours", ""); // no hour holds a digest

    @Test
    void aNameWithMarkupReachesTheHtmlPartEscapedAndTheTextPartAsWritten() {
        Person admin = hub.people().admin("Root Templates");
        String email = "markup.patient@example.fr";
        String name = "Zoé <script>alert(\"x\")</script> & Fils";
        Response created = admin.http().post("/api/v1/admin/patients", new JsonObject()
                .put("ins", People.insNumber()).put("email", email).put("displayName", name));
        assertEquals(201, created.status(), created.body());

        MimeMessage activation = Eventually.await("the activation email", Duration.ofSeconds(15),
                () -> hub.mail().getReceivedMessagesForDomain(email), found -> found.length == 1)[0];
        String html = DecodedMail.part(activation, "text/html");
        assertTrue(html.contains("Bonjour Zoé &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Fils,"), html);
        assertFalse(html.contains("<script>"), html);
        String text = DecodedMail.part(activation, "text/plain");
        assertTrue(text.contains("Bonjour " + name + ","), "plain text is not HTML: nothing to escape there\n" + text);
    }

    @Test
    void aReaderWhoChoseEnglishGetsTheDigestAndTheUnsubscribePageInEnglish() {
        Person doctor = hub.people().professional("Dr Templates", "physician");
        Person reader = hub.people().patient("Reader in English");
        hub.people().treats(doctor, reader);
        assertEquals(200, reader.http().put("/api/v1/me/notifications", new JsonObject().put("locale", "en")).status());
        Response sent = doctor.http().post("/api/v1/conversations", new JsonObject().put("subject", "Suivi")
                .put("participants", new JsonArray().add(reader.id().toString()))
                .put("message", new JsonObject().put("body", "Texte")));
        assertEquals(201, sent.status(), sent.body());
        hub.emailWhatWasMissed();

        MimeMessage digest = Eventually.await("the digest, in English", Duration.ofSeconds(15),
                () -> Arrays.stream(hub.mail().getReceivedMessagesForDomain(reader.email()))
                        .filter(m -> DecodedMail.text(m).contains("Subject: Something new in your health space\n")).toList(),
                found -> found.size() == 1).get(0);
        String text = DecodedMail.part(digest, "text/plain").replace("\r\n", "\n");
        assertTrue(text.startsWith("Hello,\n\nWaiting for you in your health space: 1 new message.\n"), text);
        assertTrue(DecodedMail.part(digest, "text/html").contains("<strong>1 new message</strong>"), DecodedMail.text(digest));
        Matcher link = Pattern.compile("(/api/v1/notifications/unsubscribe\\?\\S+)").matcher(text);
        assertTrue(link.find(), text);
        Response page = hub.http().get(link.group(1));
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Noted: you will no longer receive emails for « messages »."), page.body());
    }

    @Test
    void everyTemplateExistsInEveryLanguageAndRenders() throws Exception {
        Map<String, Set<String>> languages = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(getClass().getClassLoader().getResource(MailTemplates.ROOT).toURI()))) {
            for (Path file : files.toList()) {
                Matcher parts = TEMPLATE_FILE.matcher(file.getFileName().toString());
                assertTrue(parts.matches(), "a template is named <name>.<language>[.<part>].mustache: " + file.getFileName());
                languages.computeIfAbsent(parts.group(1) + parts.group(3), k -> new TreeSet<>()).add(parts.group(2));
            }
        }
        List<String> missing = new ArrayList<>();
        languages.forEach((template, found) -> {
            if (!found.equals(Set.copyOf(MailTemplates.LANGUAGES))) {
                missing.add(template + " is in " + found + ", not in every language of " + MailTemplates.LANGUAGES);
            }
        });
        Stream.concat(IdentityEmails.TEMPLATES.stream(), DigestEmails.TEMPLATES.stream())
                .flatMap(email -> Stream.of(".subject", ".text", ".html").map(part -> email + part))
                .filter(template -> !languages.containsKey(template)).forEach(template -> missing.add(template + " is missing"));
        NotifyModule.PAGES.stream().filter(page -> !languages.containsKey(page + ".html")).forEach(page -> missing.add(page + " is missing"));
        assertEquals(List.of(), missing);

        MailTemplates templates = Hub.mailTemplates();
        for (String language : MailTemplates.LANGUAGES) {
            IdentityEmails identity = new IdentityEmails(templates, language);
            for (Email email : List.of(identity.loginCode("a@example.fr", "123456", Duration.ofMinutes(5)),
                    identity.activation("a@example.fr", "Alice", "https://sante.example/activate#code=c", "c", Duration.ofDays(7)),
                    identity.emergencyAccess("a@example.fr", Duration.ofHours(12), "https://sante.example/"),
                    new DigestEmails(templates).render("a@example.fr", language, Map.of(Category.MESSAGES, 2), "https://sante.example/",
                            Map.of(Category.MESSAGES, "https://sante.example/unsubscribe")))) {
                for (String part : List.of(email.subject(), email.text(), email.html())) {
                    assertFalse(part.isBlank() || part.contains("{{"), language + ": " + email);
                }
            }
        }
    }
}
