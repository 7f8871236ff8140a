package fr.relais.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The people of a messaging scenario, made through the hub's admin API and logged in by the login flow, each a
 * distinct account: {@code professionals}, then {@code patients}, patient {@code i} in the care of professional
 * {@code i % professionals} with one conversation the professional opened; and a laboratory's system that may
 * deposit ({@code systemToken}). Person indices (sockets, lanes) put the professionals first.
 */
record CareTeams(int professionals, List<String> tokens, List<String> ins, List<String> conversations, String systemToken) {
    private static final int SETUP_THREADS = 8;

    static CareTeams create(HubProcess hub, int professionals, int patients) {
        ExecutorService setup = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<PublicApi.Account> pros = all(setup, professionals, i -> hub.api.create(hub.adminToken, "professionals",
                    new JsonObject().put("rpps", rpps(i)).put("profession", "physician")
                            .put("email", "pro" + i + "@bench.example").put("displayName", "Dr " + i)));
            List<String> conversations = new ArrayList<>();
            List<PublicApi.Account> treated = all(setup, patients, i -> hub.api.patientTreatedBy(hub.adminToken, "18503759", i,
                    rpps(i % professionals)));
            List<CompletableFuture<String>> opening = new ArrayList<>();
            for (int i = 0; i < patients; i++) {
                PublicApi.Account pro = pros.get(i % professionals);
                PublicApi.Account patient = treated.get(i);
                opening.add(CompletableFuture.supplyAsync(() -> hub.api.conversation(pro, patient), setup));
            }
            opening.forEach(c -> conversations.add(c.join()));
            List<String> tokens = new ArrayList<>();
            pros.forEach(p -> tokens.add(p.token()));
            treated.forEach(p -> tokens.add(p.token()));
            return new CareTeams(professionals, tokens, treated.stream().map(PublicApi.Account::ins).toList(), conversations,
                    hub.api.system(hub.adminToken, "Laboratoire du banc", "documents:write"));
        } finally {
            setup.shutdownNow();
        }
    }

    int patients() {
        return conversations.size();
    }

    int patient(int i) {
        return professionals + i;
    }

    /** The INS of person {@code person}, a patient. */
    String insOf(int person) {
        return ins.get(person - professionals);
    }

    int professionalOf(int i) {
        return i % professionals;
    }

    /**
     * For every conversation, {@code fromPro} lanes from the professional to the patient and {@code fromPatient}
     * replies, in a fixed shuffled order so that consecutive sends go to different people.
     */
    List<Target.Lane> lanes(int fromPro, int fromPatient) {
        List<Target.Lane> lanes = new ArrayList<>();
        for (int i = 0; i < patients(); i++) {
            for (int k = 0; k < fromPro; k++) {
                lanes.add(new Target.Lane(professionalOf(i), patient(i), conversations.get(i)));
            }
            for (int k = 0; k < fromPatient; k++) {
                lanes.add(new Target.Lane(patient(i), professionalOf(i), conversations.get(i)));
            }
        }
        Collections.shuffle(lanes, new Random(18));
        return lanes;
    }

    private static String rpps(int i) {
        return String.format("2%010d", i);
    }

    private interface Maker {
        PublicApi.Account make(int i) throws Exception;
    }

    private static List<PublicApi.Account> all(ExecutorService setup, int count, Maker maker) {
        List<CompletableFuture<PublicApi.Account>> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            made.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return maker.make(n);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, setup));
        }
        return made.stream().map(CompletableFuture::join).toList();
    }
}
