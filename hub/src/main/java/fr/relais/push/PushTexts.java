package fr.relais.push;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of a push notification, which only count what waits ("Vous avez 2 nouveaux messages"), in the person's
 * language (French, or English): never a name, a subject or a value, since a push crosses the browser vendor's
 * service and shows on a locked screen. Categories by their wire names: {@code messages}, {@code documents},
 * {@code reminders}, {@code record_accesses}; their words are those of the digest emails.
 */
public final class PushTexts {
    /** The categories, in the order a combined sentence names them. */
    public static final List<String> CATEGORIES = List.of("messages", "documents", "reminders", "record_accesses");

    private static final Map<String, String[]> FRENCH = Map.of( // singular, plural
            "messages", new String[] {"nouveau message", "nouveaux messages"},
            "documents", new String[] {"nouveau document", "nouveaux documents"},
            "reminders", new String[] {"rappel", "rappels"},
            "record_accesses", new String[] {"nouvel accès à votre dossier", "nouveaux accès à votre dossier"});
    private static final Map<String, String[]> ENGLISH = Map.of(
            "messages", new String[] {"new message", "new messages"},
            "documents", new String[] {"new document", "new documents"},
            "reminders", new String[] {"reminder", "reminders"},
            "record_accesses", new String[] {"new access to your record", "new accesses to your record"});
    /** Where a notification of one category opens the portal; several open its home. */
    private static final Map<String, String> PAGES = Map.of("messages", "/#/messages", "documents", "/#/documents",
            "reminders", "/#/agenda", "record_accesses", "/#/access");

    private PushTexts() {
    }

    /** The title: the same for every category, so that a locked screen says no more than the body. */
    public static String title(String language) {
        return french(language) ? "Du nouveau dans votre espace santé" : "Something new in your health space";
    }

    /**
     * The body for {@code counts} (category wire name → how many, zeros left out): "Vous avez 2 nouveaux messages",
     * or for several "Vous avez 2 nouveaux messages, 1 nouveau document et 3 rappels".
     */
    public static String body(String language, Map<String, Integer> counts) {
        boolean french = french(language);
        List<String> parts = new ArrayList<>();
        for (String category : CATEGORIES) {
            int n = counts.getOrDefault(category, 0);
            if (n > 0) {
                String[] words = (french ? FRENCH : ENGLISH).get(category);
                parts.add(n + " " + words[n == 1 ? 0 : 1]);
            }
        }
        unknownCategories(counts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to count");
        }
        String list = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + (french ? " et " : " and ") + parts.get(parts.size() - 1);
        return (french ? "Vous avez " : "You have ") + list;
    }

    /**
     * The whole payload, as the service worker reads it: {@code {title, body, url, count, tag}}; {@code url} opens the
     * category's page (the portal's home for several), {@code tag} lets a newer notification replace an older one.
     */
    public static JsonObject payload(String language, Map<String, Integer> counts) {
        Map<String, Integer> counted = new LinkedHashMap<>();
        CATEGORIES.forEach(category -> {
            if (counts.getOrDefault(category, 0) > 0) {
                counted.put(category, counts.get(category));
            }
        });
        String body = body(language, counts);
        String only = counted.size() == 1 ? counted.keySet().iterator().next() : null;
        return new JsonObject().put("title", title(language)).put("body", body)
                .put("url", only == null ? "/" : PAGES.get(only))
                .put("count", counted.values().stream().mapToInt(Integer::intValue).sum())
                .put("tag", "relais-" + (only == null ? "news" : only));
    }

    private static void unknownCategories(Map<String, Integer> counts) {
        for (String category : counts.keySet()) {
            if (!CATEGORIES.contains(category)) {
                throw new IllegalArgumentException("unknown category " + category);
            }
        }
    }

    private static boolean french(String language) {
        return !"en".equals(language == null ? null : language.toLowerCase(Locale.ROOT));
    }
}
