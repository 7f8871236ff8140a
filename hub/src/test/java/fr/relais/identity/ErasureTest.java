package fr.relais.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.relais.testing.DatabaseScan;
import fr.relais.testing.Footprint;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Closing a space leaves nothing of the patient anywhere in the database but the pseudonymised audit log. */
class ErasureTest {
    @RegisterExtension
    static final TestHub hub = TestHub.create();

    @Test
    void closingASpaceLeavesNoRowThatNamesThePatientAndTheirConversationsGoForEveryone() {
        Footprint footprint = Footprint.leave(hub);
        Person patient = footprint.patient();
        Person doctor = footprint.doctor();
        String messages = "/api/v1/conversations/" + footprint.conversationId() + "/messages";
        assertEquals(200, doctor.http().get(messages).status());
        List<String> traces = new ArrayList<>(footprint.written());
        traces.addAll(List.of(patient.id().toString(), footprint.ins(), patient.email()));

        assertEquals(204, patient.http().post("/api/v1/me/close", new JsonObject().put("confirm", true)).status());

        // the audit tables (audit_log, audit_head, any audit_*) keep that things happened; their rows are
        // pseudonymised by the audit log's own work, so they are not searched here
        DatabaseScan scan = DatabaseScan.of(hub.hub().database()).skippingTablesStartingWith("audit");
        assertEquals(List.of(), scan.find(traces));
        assertEquals(404, doctor.http().get(messages).status(), "the doctor's copy of the conversation went with it");
        assertEquals(0, doctor.http().get("/api/v1/conversations").json().getJsonArray("items").size());
        assertEquals(200, doctor.http().get("/api/v1/me").status(), "the professionals keep their accounts");
    }
}
