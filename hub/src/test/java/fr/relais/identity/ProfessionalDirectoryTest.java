package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.HttpTestClient.Response;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A patient finds the professionals who treat them by name, whatever the case and accents, and declares one found. */
class ProfessionalDirectoryTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    static Person claire;
    static Person patient;

    @BeforeAll
    static void directory() {
        claire = hub.people().professional("Dr Claire Martin", "physician");
        hub.people().professional("Hélène Martinez", "nurse");
        hub.people().professional("Dr Paul Roux", "physician");
        hub.people().professional("Lætitia Cœur", "midwife");
        patient = hub.people().patient("Patiente qui cherche");
    }

    @Test
    void everyWordTypedStartsAWordOfTheNameWhateverTheCaseAndAccents() {
        assertEquals(List.of("Dr Claire Martin", "Hélène Martinez"), names(patient, "martin"));
        assertEquals(List.of("Dr Claire Martin"), names(patient, "mar CL"));
        assertEquals(List.of("Hélène Martinez"), names(patient, "HELENE"));
        assertEquals(List.of("Hélène Martinez"), names(patient, "hél mart"));
        assertEquals(List.of(), names(patient, "artin"), "the start of a word, not any part");
        assertEquals(List.of("Lætitia Cœur"), names(patient, "coeur laetitia"), "œ and æ as people type them");
        assertEquals(List.of("Dr Claire Martin"), names(patient, "dr", "&limit=1"));
        Person colleague = hub.people().professional("Dr Confrère", "physician");
        assertEquals(List.of("Dr Paul Roux"), names(colleague, "roux"));
    }

    @Test
    void aProfessionalFoundByNameIsDeclaredWithTheRppsTheDirectoryGives() {
        JsonObject found = new JsonArray(search(patient, "claire", "").body()).getJsonObject(0);
        assertEquals(claire.id().toString(), found.getString("id"));
        assertEquals("physician", found.getString("profession"));
        Response declared = patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", found.getString("rpps")));
        assertEquals(201, declared.status(), declared.body());
    }

    @Test
    void aProfessionalWhoseAccountIsNotActiveIsNeitherFoundNorDeclared() {
        String rpps = fr.relais.testing.People.rppsNumber();
        Person admin = hub.people().admin("Accueil ARS");
        Response created = admin.http().post("/api/v1/admin/professionals", new JsonObject().put("rpps", rpps)
                .put("profession", "dentist").put("email", "pas.encore@example.fr").put("displayName", "Marc Pending"));
        assertEquals(201, created.status(), created.body());
        assertEquals(List.of(), names(patient, "marc"));
        Response declared = patient.http().post("/api/v1/me/care-relationships", new JsonObject().put("rpps", rpps));
        assertEquals(404, declared.status(), declared.body());
        assertEquals("professional_not_found", declared.json().getString("code"));
    }

    @Test
    void badSearchesAndCallersWithoutADirectoryAreRefused() {
        for (String query : List.of("", "?q=", "?q=a", "?q=%20x%20", "?q=" + "m".repeat(101), "?q=martin&limit=0",
                "?q=martin&limit=21", "?q=martin&limit=vingt")) {
            Response refused = patient.http().get("/api/v1/professionals" + query);
            assertEquals(400, refused.status(), query + " " + refused.body());
            assertEquals("invalid_field", refused.json().getString("code"), query);
        }
        assertEquals(401, hub.http().get("/api/v1/professionals?q=martin").status());
        Person lab = hub.people().integrator("Labo annuaire", "documents:write");
        assertEquals(403, lab.http().get("/api/v1/professionals?q=martin").status());
    }

    private static Response search(Person who, String query, String more) {
        return who.http().get("/api/v1/professionals?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + more);
    }

    private static List<String> names(Person who, String query) {
        return names(who, query, "");
    }

    private static List<String> names(Person who, String query, String more) {
        Response found = search(who, query, more);
        assertEquals(200, found.status(), found.body());
        return new JsonArray(found.body()).stream().map(pro -> ((JsonObject) pro).getString("displayName")).toList();
    }
}
