package fr.relais.agenda;

import fr.relais.config.AgendaConfig;
import fr.relais.identity.account.Accounts;
import fr.relais.profile.MedicalProfile;
import fr.relais.profile.ProfileEntry;
import fr.relais.profile.ProfileSection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Plans the reminders that come from the profile and the prevention calendar: vaccinations and screenings (next
 * due date per rule, at 09:00 Paris time) and treatments (each time of day, over the next
 * {@code agenda.treatmentHorizon}). Planning again is harmless: occurrence keys make jobs unique, and reminders
 * that no longer apply (a vaccination recorded, a treatment changed or stopped) are cancelled while pending.
 */
final class ReminderPlanner {
    private static final LocalTime PREVENTION_TIME = LocalTime.of(9, 0);

    private final Pool pool;
    private final MedicalProfile profile;
    private final PreventionRules rules;
    private final AgendaConfig config;
    private final Clock clock;

    ReminderPlanner(Pool pool, MedicalProfile profile, PreventionRules rules, AgendaConfig config, Clock clock) {
        this.pool = pool;
        this.profile = profile;
        this.rules = rules;
        this.config = config;
        this.clock = clock;
    }

    /** Plans every patient, a page at a time; returns how many patients were planned. */
    Future<Integer> planAll() {
        return planFrom(new UUID(0, 0), 0);
    }

    private Future<Integer> planFrom(UUID after, int done) {
        return Accounts.activePatientsAfter(pool, after, 200)
                .compose(page -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (UUID patient : page) {
                        chain = chain.compose(v -> plan(patient));
                    }
                    return page.size() < 200 ? chain.map(done + page.size())
                            : chain.compose(v -> planFrom(page.get(page.size() - 1), done + page.size()));
                });
    }

    Future<Void> plan(UUID patient) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ParisTime.ZONE);
        return Accounts.byId(pool, patient)
                .compose(account -> {
                    if (account.isEmpty() || account.get().ins() == null) {
                        return Future.succeededFuture();
                    }
                    PreventionRules.Person person = PreventionRules.fromIns(account.get().ins(), today);
                    return profile.entries(patient, Set.of(ProfileSection.VACCINATIONS, ProfileSection.TREATMENTS)).compose(entries -> {
                        List<JsonObject> vaccinations = of(entries, ProfileSection.VACCINATIONS);
                        List<JsonObject> treatments = of(entries, ProfileSection.TREATMENTS);
                        return pool.withTransaction(sql -> prevention(sql, patient, rules.next(person, vaccinations, today))
                                .compose(v -> treatments(sql, patient, treatments, today)));
                    });
                });
    }

    private static List<JsonObject> of(List<ProfileEntry> entries, ProfileSection section) {
        return entries.stream().filter(entry -> entry.section() == section).map(ProfileEntry::toJson).toList();
    }

    private Future<Void> prevention(SqlConnection sql, UUID patient, List<PreventionRules.Due> due) {
        List<String> keys = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (PreventionRules.Due d : due) {
            String key = d.kind() + ":" + patient + ":" + d.code() + ":" + d.date();
            keys.add(key);
            Instant at = d.date().atTime(PREVENTION_TIME).atZone(ParisTime.ZONE).toInstant();
            chain = chain.compose(v -> ReminderJobs.schedule(sql, key, d.kind(), patient, null, at,
                    new JsonObject().put("code", d.code()).put("date", d.date().toString())).mapEmpty());
        }
        return chain.compose(v -> sql.preparedQuery("""
                        UPDATE reminder_job SET status = 'cancelled'
                        WHERE patient_id = $1 AND kind IN ('vaccination', 'screening') AND status = 'pending'
                          AND occurrence_key <> ALL($2)""")
                .execute(Tuple.tuple().addUUID(patient).addArrayOfString(keys.toArray(String[]::new))).mapEmpty());
    }

    private Future<Void> treatments(SqlConnection sql, UUID patient, List<JsonObject> treatments, LocalDate today) {
        Instant now = clock.instant();
        LocalDate last = LocalDate.ofInstant(now.plus(config.treatmentHorizon()), ParisTime.ZONE);
        List<String> keys = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (JsonObject entry : treatments) {
            UUID id = UUID.fromString(entry.getString("id"));
            JsonObject data = entry.getJsonObject("data");
            LocalDate from = data.getString("from") == null ? today : LocalDate.parse(data.getString("from"));
            LocalDate until = data.getString("until") == null ? last : LocalDate.parse(data.getString("until"));
            for (LocalDate day = today.isAfter(from) ? today : from; !day.isAfter(last) && !day.isAfter(until); day = day.plusDays(1)) {
                for (Object time : data.getJsonArray("times")) {
                    Instant at = day.atTime(LocalTime.parse(time.toString())).atZone(ParisTime.ZONE).toInstant();
                    if (at.isBefore(now)) {
                        continue;
                    }
                    String key = "treatment:" + id + ":v" + entry.getInteger("version") + ":" + day + "T" + time;
                    keys.add(key);
                    chain = chain.compose(v -> ReminderJobs.schedule(sql, key, "treatment", patient, id, at,
                            new JsonObject().put("treatmentId", id.toString()).put("time", time.toString())).mapEmpty());
                }
            }
        }
        return chain.compose(v -> sql.preparedQuery("""
                        UPDATE reminder_job SET status = 'cancelled'
                        WHERE patient_id = $1 AND kind = 'treatment' AND status = 'pending' AND occurrence_key <> ALL($2)""")
                .execute(Tuple.tuple().addUUID(patient).addArrayOfString(keys.toArray(String[]::new))).mapEmpty());
    }
}
