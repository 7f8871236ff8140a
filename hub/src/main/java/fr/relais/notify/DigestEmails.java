package fr.relais.notify;

import fr.relais.mail.Email;
import fr.relais.mail.Html;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The missed-notification email, in French or English: it only counts what waits ("2 nouveaux messages,
 * 1 nouveau document") and invites the person to log in. It never names a sender, a subject, a document or a
 * condition. Each category has its signed unsubscribe link.
 */
public final class DigestEmails {
    private static final Map<Category, String[]> FR = new EnumMap<>(Map.of(
            Category.MESSAGES, new String[] {"nouveau message", "nouveaux messages"},
            Category.DOCUMENTS, new String[] {"nouveau document", "nouveaux documents"},
            Category.REMINDERS, new String[] {"rappel", "rappels"},
            Category.RECORD_ACCESSES, new String[] {"accès à votre dossier", "accès à votre dossier"}));
    private static final Map<Category, String[]> EN = new EnumMap<>(Map.of(
            Category.MESSAGES, new String[] {"new message", "new messages"},
            Category.DOCUMENTS, new String[] {"new document", "new documents"},
            Category.REMINDERS, new String[] {"reminder", "reminders"},
            Category.RECORD_ACCESSES, new String[] {"access to your record", "accesses to your record"}));

    private DigestEmails() {
    }

    /** {@code unsubscribe} gives each category's signed link. */
    public static Email render(String to, String locale, Map<Category, Integer> counts, String loginUrl,
                               Map<Category, String> unsubscribe) {
        boolean en = "en".equals(locale);
        Map<Category, String[]> words = en ? EN : FR;
        List<String> parts = new ArrayList<>();
        counts.forEach((category, n) -> parts.add(n + " " + words.get(category)[n > 1 ? 1 : 0]));
        String summary = String.join(", ", parts);
        String subject = en ? "Something new in your health space" : "Du nouveau dans votre espace santé";
        String intro = en ? "Hello,\n\nWaiting for you in your health space: " : "Bonjour,\n\nDans votre espace santé, vous attendent : ";
        String action = en ? "Log in to see them: " : "Connectez-vous pour les consulter : ";
        String stop = en ? "Stop these emails for" : "Ne plus recevoir ces emails pour";
        StringBuilder text = new StringBuilder(intro).append(summary).append(".\n\n").append(action).append(loginUrl).append("\n\n");
        StringBuilder html = new StringBuilder("<p>").append(en ? "Hello," : "Bonjour,").append("</p><p>")
                .append(Html.escape(intro.substring(intro.indexOf("\n\n") + 2))).append("<strong>").append(Html.escape(summary))
                .append("</strong>.</p><p><a href=\"").append(Html.escape(loginUrl)).append("\">")
                .append(en ? "Log in" : "Se connecter").append("</a></p><p style=\"font-size:0.8em\">");
        unsubscribe.forEach((category, url) -> {
            String label = words.get(category)[1];
            text.append(stop).append(" « ").append(label).append(" » : ").append(url).append('\n');
            html.append(Html.escape(stop)).append(" « ").append(Html.escape(label)).append(" » : <a href=\"")
                    .append(Html.escape(url)).append("\">").append(en ? "unsubscribe" : "se désabonner").append("</a><br>");
        });
        html.append("</p>");
        return new Email(to, subject, text.toString(), html.toString());
    }
}
