package fr.relais.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A push notification's words: counts only, in French and English, singular and plural, one or several categories. */
class PushTextsTest {
    @Test
    void oneCategoryInFrenchAndEnglish() {
        assertEquals("Vous avez 1 nouveau message", PushTexts.body("fr", Map.of("messages", 1)));
        assertEquals("Vous avez 2 nouveaux messages", PushTexts.body("fr", Map.of("messages", 2)));
        assertEquals("You have 1 new message", PushTexts.body("en", Map.of("messages", 1)));
        assertEquals("You have 2 new messages", PushTexts.body("en", Map.of("messages", 2)));
        assertEquals("Vous avez 3 nouveaux documents", PushTexts.body("fr", Map.of("documents", 3)));
        assertEquals("You have 1 new document", PushTexts.body("en", Map.of("documents", 1)));
        assertEquals("Vous avez 1 rappel", PushTexts.body("fr", Map.of("reminders", 1)));
        assertEquals("You have 4 reminders", PushTexts.body("en", Map.of("reminders", 4)));
        assertEquals("Vous avez 1 nouvel accès à votre dossier", PushTexts.body("fr", Map.of("record_accesses", 1)));
        assertEquals("Vous avez 2 nouveaux accès à votre dossier", PushTexts.body("fr", Map.of("record_accesses", 2)));
        assertEquals("You have 2 new accesses to your record", PushTexts.body("en", Map.of("record_accesses", 2)));
        assertEquals("Du nouveau dans votre espace santé", PushTexts.title("fr"));
        assertEquals("Something new in your health space", PushTexts.title("en"));
    }

    @Test
    void severalCategoriesMakeOneSentenceInAFixedOrder() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("reminders", 3);
        counts.put("documents", 1);
        counts.put("messages", 2);
        assertEquals("Vous avez 2 nouveaux messages, 1 nouveau document et 3 rappels", PushTexts.body("fr", counts));
        assertEquals("You have 2 new messages, 1 new document and 3 reminders", PushTexts.body("en", counts));
        assertEquals("You have 1 new message and 1 new access to your record",
                PushTexts.body("en", Map.of("record_accesses", 1, "messages", 1, "documents", 0)));
    }

    @Test
    void thePayloadOpensTheCategorysPageOrTheHome() {
        assertEquals(new JsonObject().put("title", "Du nouveau dans votre espace santé").put("body", "Vous avez 2 nouveaux messages")
                .put("url", "/#/messages").put("count", 2).put("tag", "relais-messages"), PushTexts.payload("fr", Map.of("messages", 2)));
        JsonObject mixed = PushTexts.payload("en", Map.of("messages", 2, "reminders", 1));
        assertEquals("/", mixed.getString("url"));
        assertEquals(3, mixed.getInteger("count"));
        assertEquals("relais-news", mixed.getString("tag"));
    }

    @Test
    void nothingToCountOrAnUnknownCategoryIsTheCallersMistake() {
        assertThrows(IllegalArgumentException.class, () -> PushTexts.body("fr", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PushTexts.body("fr", Map.of("messages", 0)));
        assertThrows(IllegalArgumentException.class, () -> PushTexts.body("fr", Map.of("prescriptions", 1)));
    }
}
