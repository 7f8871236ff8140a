package fr.relais.cli;

import fr.relais.Hub;
import fr.relais.identity.IdentityEmails;
import fr.relais.mail.Email;
import fr.relais.mail.MailTemplates;
import fr.relais.notify.Category;
import fr.relais.notify.DigestEmails;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code relais mail render <template>}: prints an email with sample data, for review (no database needed). */
@Command(name = "mail", mixinStandardHelpOptions = true, description = "Email templates.",
        subcommands = MailCommand.Render.class)
public final class MailCommand {

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Render a template with sample data: digest, login-code, activation, emergency-access, login-by-sms.")
    static final class Render implements Callable<Integer> {
        @Parameters(paramLabel = "TEMPLATE") String template;
        @Option(names = "--locale", defaultValue = "fr", description = "fr or en") String locale;

        @Override
        public Integer call() {
            if (!MailTemplates.LANGUAGES.contains(locale)) {
                System.err.println("relais: unknown locale " + locale + " (" + String.join(", ", MailTemplates.LANGUAGES) + ")");
                return 2;
            }
            MailTemplates templates = Hub.mailTemplates();
            IdentityEmails identity = new IdentityEmails(templates, locale);
            Email email = switch (template) {
                case "digest" -> {
                    Map<Category, Integer> counts = new LinkedHashMap<>();
                    counts.put(Category.MESSAGES, 2);
                    counts.put(Category.DOCUMENTS, 1);
                    Map<Category, String> links = new LinkedHashMap<>();
                    counts.keySet().forEach(c -> links.put(c, "https://sante.example/api/v1/notifications/unsubscribe?…"));
                    yield new DigestEmails(templates).render("patient@example.fr", locale, counts, "https://sante.example/", links);
                }
                case "login-code" -> identity.loginCode("patient@example.fr", "123456", Duration.ofMinutes(5));
                case "activation" -> identity.activation("patient@example.fr", "Alice Martin",
                        "https://sante.example/activate#code=…", "AbCdEf123", Duration.ofDays(7));
                case "emergency-access" -> identity.emergencyAccess("patient@example.fr", Duration.ofHours(12), "https://sante.example/");
                case "login-by-sms" -> identity.loginBySms("patient@example.fr", "+33 6 •• •• •• 78", "https://sante.example/");
                default -> null;
            };
            if (email == null) {
                System.err.println("relais: unknown template " + template + " (digest, login-code, activation, emergency-access, login-by-sms)");
                return 2;
            }
            System.out.println("Subject: " + email.subject() + "\n\n--- text ---\n" + email.text() + "\n--- html ---\n" + email.html());
            return 0;
        }
    }
}
