package fr.relais.loadtest;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiFunction;

/**
 * What a scenario writes through the hub, and the relay's equivalent: who takes part, the lanes (per patient,
 * {@code fromProfessional} sends from the professional and {@code fromPatient} replies), the hub request of a lane,
 * and a relay body of the same size.
 */
record Workload(int professionals, int patients, int fromProfessional, int fromPatient, String relayBody,
                BiFunction<CareTeams, Target.Lane, Target.Request> hubRequest, boolean overSocket) {
    Workload(int professionals, int patients, int fromProfessional, int fromPatient, String relayBody,
             BiFunction<CareTeams, Target.Lane, Target.Request> hubRequest) {
        this(professionals, patients, fromProfessional, fromPatient, relayBody, hubRequest, false);
    }

    /** ~160 bytes, so that the relay's row (id, recipient, body) is about 200 bytes. */
    static final String MESSAGE = "Bonjour, vos résultats sont arrivés et ils sont bons. Pensez à reprendre rendez-vous "
            + "dans trois mois pour le contrôle habituel. Bonne journée.";
    /** A 1 KiB PDF, as the deposit targets say. */
    static final byte[] PDF = ("%PDF-1.4\n" + "x".repeat(1024 - 16) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);

    /** 1:1 messages: 100 professionals, 1,000 patients, four sends of five from the professional, one reply. */
    static Workload messages() {
        return new Workload(100, 1000, 4, 1, MESSAGE, Workload::message);
    }

    /** One professional writing to 2,000 patients, each in a conversation of their own. */
    static Workload hotSender() {
        return new Workload(1, 2000, 1, 0, MESSAGE, Workload::message);
    }

    /** 1 KiB PDFs deposited by 100 professionals into the records of their 1,000 patients. */
    static Workload deposits() {
        String data = Base64.getEncoder().encodeToString(PDF);
        return new Workload(100, 1000, 1, 0, data, (people, lane) -> new Target.Request("/api/v1/documents",
                people.tokens().get(lane.sender()), new JsonObject().put("ins", people.insOf(lane.recipient()))
                .put("kind", "lab_result").put("title", "Bilan").put("careDate", "2026-11-20")
                .put("contentType", "application/pdf").put("data", data).encode()));
    }

    /** The same 1 KiB PDFs, deposited by one laboratory system over its socket ({@code document.deposit}, by INS, with a key). */
    static Workload socketDeposits() {
        String data = Base64.getEncoder().encodeToString(PDF);
        return new Workload(100, 1000, 1, 0, data, (people, lane) -> new Target.Request("document.deposit", people.systemToken(),
                new JsonObject().put("ins", people.insOf(lane.recipient())).put("kind", "lab_result").put("title", "Bilan")
                        .put("careDate", "2026-11-20").put("contentType", "application/pdf").put("data", data).encode()), true);
    }

    private static Target.Request message(CareTeams people, Target.Lane lane) {
        return new Target.Request("/api/v1/conversations/" + lane.conversation() + "/messages", people.tokens().get(lane.sender()),
                new JsonObject().put("body", MESSAGE).encode());
    }
}
