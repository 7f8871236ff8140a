package fr.relais.notify;

import fr.relais.mail.Email;
import fr.relais.mail.MailTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The missed-notification email (template {@code mail/digest.*}): it only counts what waits ("2 nouveaux messages,
 * 1 nouveau document") and invites the person to log in. It never names a sender, a subject, a document or a
 * condition. Each category has its signed unsubscribe link.
 */
public final class DigestEmails {
    /** The templates this email is written from. */
    public static final List<String> TEMPLATES = List.of("digest");

    private final MailTemplates templates;

    public DigestEmails(MailTemplates templates) {
        this.templates = templates;
    }

    /** {@code counts} in the order they are to be read; {@code unsubscribe} gives each category's signed link. */
    public Email render(String to, String language, Map<Category, Integer> counts, String loginUrl,
                        Map<Category, String> unsubscribe) {
        List<Map<String, Object>> countItems = new ArrayList<>();
        counts.forEach((category, n) -> {
            Map<String, Object> item = item(category, n > 1);
            item.put("count", n);
            item.put("first", countItems.isEmpty());
            countItems.add(item);
        });
        List<Map<String, Object>> links = new ArrayList<>();
        unsubscribe.forEach((category, url) -> {
            Map<String, Object> item = item(category, true);
            item.put("url", url);
            links.add(item);
        });
        return templates.render("digest", language, to, Map.of("counts", countItems, "loginUrl", loginUrl,
                "unsubscribe", links));
    }

    /** The template names a category by the flag {@code {{#messages}}}, {@code {{#documents}}}…, singular or plural. */
    private static Map<String, Object> item(Category category, boolean plural) {
        Map<String, Object> item = new HashMap<>();
        item.put(category.wireName(), true);
        item.put("plural", plural);
        return item;
    }
}
