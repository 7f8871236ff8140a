package fr.relais.agenda;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.identity.account.Accounts;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.CareTeam;
import fr.relais.identity.policy.DataCategory;
import fr.relais.identity.policy.PatientLookup;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.stream.StreamTransaction;
import fr.relais.stream.Streams;
import fr.relais.web.DateWindow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appointments: a professional books one for a patient who has not blocked them (booking gives no right to read
 * anything: it makes no care relationship), a patient adds personal ones. Booking schedules the reminders; moving replaces them; cancelling cancels them;
 * each change is an {@code appointment.*} event for the patient and the professional.
 */
final class AppointmentService {
    private static final Logger log = LoggerFactory.getLogger(AppointmentService.class);

    /**
     * The names of both parties, read with the list in the same statement (joined, never one query per item): the
     * professional's name and profession for the patient, the patient's name for the professional. Names are not
     * health data; titles and places stay sealed.
     */
    private final Streams streams;
    private final Sealer sealer;
    private final AuditLog audit;
    private final List<Duration> offsets;
    private final Clock clock;
    private final AccessPolicy policy;

    AppointmentService(Streams streams, Sealer sealer, AuditLog audit, List<Duration> offsets, Clock clock, AccessPolicy policy) {
        this.streams = streams;
        this.policy = policy;
        this.sealer = sealer;
        this.audit = audit;
        this.offsets = offsets;
        this.clock = clock;
    }

    Future<JsonObject> book(Principal who, JsonObject body) {
        try {
            return booked(who, body);
        } catch (RuntimeException refused) { // a field's refusal, also for callers that are not routes (socket commands)
            return Future.failedFuture(refused);
        }
    }

    private Future<JsonObject> booked(Principal who, JsonObject body) {
        Instant start = ParisTime.parse(body.getValue("startsAt"), "startsAt");
        Instant end = ParisTime.parse(body.getValue("endsAt"), "endsAt");
        if (!end.isAfter(start)) {
            throw ApiError.invalidField("endsAt", "An appointment ends after it starts.");
        }
        JsonObject details = details(body);
        UUID patient = patientOf(who, body);
        UUID id = UUID.randomUUID();
        // two round trips and the COMMIT: the parties (with the block check) and the patient's reminder offsets
        // together; then the appointment, its audit entry, reminders and events, not waited for
        return streams.withTransaction(tx -> {
            Future<UUID[]> parties = parties(tx, who, patient);
            Future<List<Duration>> chosen = offsetsOf(tx.sql(), patient);
            return Future.all(parties, chosen).compose(found -> {
                UUID[] both = parties.result();
                tx.sendWithCommit(tx.sql().preparedQuery("""
                                INSERT INTO appointment (id, patient_id, professional_id, created_by, details_sealed, key_id,
                                                         starts_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                        .execute(Tuple.tuple().addUUID(id).addUUID(both[0]).addUUID(both[1]).addUUID(who.id())
                                .addBuffer(Buffer.buffer(sealer.seal(details.encode(), "appointment:" + id))).addString(sealer.keyId())
                                .addOffsetDateTime(utc(start)).addOffsetDateTime(utc(end))));
                if (both[1] != null) {
                    AuditEvent booked = AuditEvent.of("professional", who.id().toString(), "appointment.book", "success")
                            .patient(both[0]).detail("appointment", id.toString());
                    tx.sendWithCommit(audit.append(tx.sql(), who.via() == null ? booked
                            : booked.detail("via", who.via().systemId().toString())));
                }
                scheduleReminders(tx, id, both[0], start, chosen.result());
                return notify(tx, who, both, "appointment.created", id, start)
                        .map(v -> view(id, both[0], both[1], start, end, "booked", details));
            });
        });
    }

    Future<JsonObject> move(Principal who, UUID id, JsonObject body) {
        Instant start = ParisTime.parse(body.getValue("startsAt"), "startsAt");
        Instant end = ParisTime.parse(body.getValue("endsAt"), "endsAt");
        if (!end.isAfter(start)) {
            throw ApiError.invalidField("endsAt", "An appointment ends after it starts.");
        }
        return streams.withTransaction(tx -> editable(tx, who, id, false).compose(row -> {
            UUID[] parties = {row.getUUID("patient_id"), row.getUUID("professional_id")};
            JsonObject details = open(row);
            if (body.getValue("place") != null || body.getValue("title") != null) {
                details = details(body.copy().put("title", body.getValue("title", details.getString("title")))
                        .put("place", body.getValue("place", details.getString("place"))));
            }
            JsonObject updated = details;
            // sent first, so that the statements sent with the COMMIT behind it report their own failures
            Future<List<Duration>> chosen = offsetsOf(tx.sql(), parties[0]);
            tx.sendWithCommit(tx.sql().preparedQuery("""
                            UPDATE appointment SET starts_at = $2, ends_at = $3, status = 'moved', details_sealed = $4, updated_at = now()
                            WHERE id = $1""")
                    .execute(Tuple.of(id, utc(start), utc(end), Buffer.buffer(sealer.seal(updated.encode(), "appointment:" + id)))));
            tx.sendWithCommit(ReminderJobs.cancelPending(tx.sql(), id));
            return chosen.compose(offsets -> {
                scheduleReminders(tx, id, parties[0], start, offsets);
                return notify(tx, who, parties, "appointment.moved", id, start);
            }).map(v -> view(id, parties[0], parties[1], start, end, "moved", updated));
        }));
    }

    /** Cancels: the booking professional, or the patient of the appointment (who may not move a professional's one). */
    Future<JsonObject> cancel(Principal who, UUID id) {
        return streams.withTransaction(tx -> editable(tx, who, id, true).compose(row -> {
            UUID[] parties = {row.getUUID("patient_id"), row.getUUID("professional_id")};
            Instant start = row.getOffsetDateTime("starts_at").toInstant();
            return tx.sql().preparedQuery("UPDATE appointment SET status = 'cancelled', updated_at = now() WHERE id = $1")
                    .execute(Tuple.of(id))
                    .compose(v -> ReminderJobs.cancelPending(tx.sql(), id))
                    .compose(v -> notify(tx, who, parties, "appointment.cancelled", id, start))
                    .map(v -> view(id, parties[0], parties[1], start, row.getOffsetDateTime("ends_at").toInstant(), "cancelled", open(row)));
        }));
    }

    /** A patient's reminders to come within {@code days}: appointments, vaccinations, screenings, treatments. */
    Future<JsonArray> upcomingReminders(Principal who, int days) {
        if (who.kind() != Principal.Kind.PATIENT) {
            return Future.failedFuture(fr.relais.error.ApiError.of(403, "forbidden", "Reminders are the patient's own."));
        }
        Instant now = clock.instant();
        return ReminderJobs.upcoming(streams.pool(), who.id(), now, now.plus(Duration.ofDays(days)));
    }

    /**
     * A professional's appointments with one patient, past and to come (the latest 200, by start), read through the
     * access policy like the rest of the patient's agenda: within a care relationship or an emergency access, never
     * when blocked; the reading is in the patient's access history ({@code appointments}).
     */
    Future<JsonArray> withPatient(Principal who, UUID patient) {
        return streams.withTransaction(tx -> policy.read(tx, who, patient, DataCategory.IDENTITY, "appointments.list",
                AccessPolicy.Seen.APPOINTMENTS).compose(access -> tx.sql().preparedQuery("""
                        SELECT latest.*, %s FROM (
                            SELECT id, patient_id, professional_id, details_sealed, key_id, starts_at, ends_at, status
                            FROM appointment WHERE patient_id = $1 AND professional_id = $2
                            ORDER BY starts_at DESC LIMIT 200) latest
                        %s
                        ORDER BY starts_at""".formatted(Accounts.PARTIES_COLUMNS, Accounts.partiesJoin("latest.patient_id", "latest.professional_id")))
                .execute(Tuple.of(patient, who.id()))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    for (Row row : rows) {
                        shown(row).ifPresent(list::add);
                    }
                    return list;
                })));
    }

    /** One's appointments between two instants; a professional sees none with a patient who blocked them. */
    Future<JsonArray> list(Principal who, Instant from, Instant to) {
        Future<java.util.Set<UUID>> blockedBy = who.is(Principal.Kind.PROFESSIONAL)
                ? CareTeam.patientsWhoBlocked(streams.pool(), who.id()) : Future.succeededFuture(java.util.Set.of());
        return blockedBy.compose(blocked -> streams.pool().preparedQuery("""
                        SELECT a.id, a.patient_id, a.professional_id, a.details_sealed, a.key_id, a.starts_at, a.ends_at, a.status,
                               %s
                        FROM appointment a %s
                        WHERE (a.patient_id = $1 OR a.professional_id = $1) AND a.starts_at < $3 AND a.ends_at > $2
                        ORDER BY a.starts_at""".formatted(Accounts.PARTIES_COLUMNS, Accounts.partiesJoin("a.patient_id", "a.professional_id")))
                .execute(Tuple.of(who.id(), utc(from), utc(to)))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    for (Row row : rows) {
                        if (!blocked.contains(row.getUUID("patient_id"))) {
                            shown(row).ifPresent(list::add);
                        }
                    }
                    return list;
                }));
    }

    /** A stored appointment as lists show it; one that cannot be shown is left out (and logged), not the whole list. */
    private Optional<JsonObject> shown(Row row) {
        try {
            JsonObject view = view(row.getUUID("id"), row.getUUID("patient_id"), row.getUUID("professional_id"),
                    row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
                    row.getString("status"), open(row))
                    .put("professionalName", row.getString("professional_name")).put("profession", row.getString("profession"))
                    .put("patientName", row.getString("patient_name"));
            if (view.getString("startsAt") != null && view.getString("endsAt") != null) {
                return Optional.of(view);
            }
            log.warn("appointment {} has a time outside {} to {}: left out of lists", row.getUUID("id"), DateWindow.FIRST,
                    DateWindow.LAST);
        } catch (RuntimeException e) {
            log.warn("appointment {} cannot be shown: {}", row.getUUID("id"), e.toString());
        }
        return Optional.empty();
    }

    /** The patient's own offsets, or the configured ones. */
    Future<List<Duration>> offsetsOf(io.vertx.sqlclient.SqlClient sql, UUID patient) {
        return sql.preparedQuery("SELECT offsets FROM reminder_preference WHERE account_id = $1").execute(Tuple.of(patient))
                .map(rows -> rows.size() == 0 ? offsets : java.util.Arrays.stream(rows.iterator().next().getArrayOfStrings("offsets"))
                        .map(Duration::parse).toList());
    }

    /** Sets a person's offsets ("7d", "1d", "2h", "30m"); an empty list means no appointment reminders. */
    Future<JsonObject> setOffsets(UUID account, JsonObject body) {
        if (!(body.getValue("offsets") instanceof JsonArray list) || list.size() > 10) {
            throw ApiError.invalidField("offsets", "offsets lists up to 10 durations such as 7d, 1d, 2h or 30m.");
        }
        List<String> parsed = new java.util.ArrayList<>();
        for (Object item : list) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3})([dhm])").matcher(String.valueOf(item));
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
                throw ApiError.invalidField("offsets", "Each offset is a duration such as 7d, 1d, 2h or 30m.");
            }
            int n = Integer.parseInt(m.group(1));
            Duration d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
            if (d.compareTo(Duration.ofDays(60)) > 0) {
                throw ApiError.invalidField("offsets", "An offset is at most 60 days.");
            }
            parsed.add(d.toString());
        }
        return streams.pool().preparedQuery("""
                        INSERT INTO reminder_preference (account_id, offsets) VALUES ($1, $2)
                        ON CONFLICT (account_id) DO UPDATE SET offsets = EXCLUDED.offsets""")
                .execute(Tuple.tuple().addUUID(account).addArrayOfString(parsed.toArray(String[]::new)))
                .map(v -> new JsonObject().put("offsets", list.copy()));
    }

    /** Sends the appointment's reminder jobs (one per offset still to come) with the transaction's COMMIT. */
    private void scheduleReminders(StreamTransaction tx, UUID appointment, UUID patient, Instant start, List<Duration> chosen) {
        Instant now = clock.instant();
        for (Duration offset : chosen) {
            Instant due = ParisTime.before(start, offset);
            if (due.isAfter(now)) {
                String key = "appointment:" + appointment + ":" + start.getEpochSecond() + ":" + offset;
                JsonObject payload = new JsonObject().put("appointmentId", appointment.toString())
                        .put("startsAt", ParisTime.show(start)).put("startsAtInstant", start.toString()).put("before", offset.toString());
                tx.sendWithCommit(ReminderJobs.schedule(tx.sql(), key, "appointment", patient, appointment, due, payload));
            }
        }
    }

    /** Tells both parties; {@code actorId} lets the one who did it not be alerted of their own act. */
    private Future<Void> notify(StreamTransaction tx, Principal who, UUID[] parties, String type, UUID id, Instant start) {
        JsonObject data = new JsonObject().put("appointmentId", id.toString()).put("startsAt", ParisTime.show(start))
                .put("actorId", who.id().toString());
        List<UUID> recipients = java.util.Arrays.stream(parties).filter(java.util.Objects::nonNull).toList();
        return tx.appendToEach(recipients, type, recipient -> data);
    }

    /** The patient of a booking: oneself for a patient; for a professional, the body's {@code patientId}. */
    private static UUID patientOf(Principal who, JsonObject body) {
        if (who.is(Principal.Kind.PATIENT)) {
            return who.id();
        }
        if (!who.is(Principal.Kind.PROFESSIONAL)) {
            throw ApiError.of(403, "forbidden", "Patients and professionals book appointments.");
        }
        try {
            return UUID.fromString(String.valueOf(body.getValue("patientId")));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidField("patientId", "patientId is the patient's id.");
        }
    }

    /** {patient, professional}: a professional books for a patient who did not block them; a patient for themself. */
    private static Future<UUID[]> parties(StreamTransaction tx, Principal who, UUID patient) {
        if (who.is(Principal.Kind.PATIENT)) {
            return Future.succeededFuture(new UUID[] {patient, null});
        }
        return PatientLookup.named(tx.sql(), new JsonObject().put("patientId", patient.toString()), who)
                .map(found -> new UUID[] {found, who.id()});
    }

    /**
     * The appointment {@code who} may change, locked: the booker (the professional, or the patient for a personal
     * one) moves and cancels it; the patient of a professional's appointment may only cancel it ({@code cancelling}),
     * as one calls the practice to cancel, while moving it stays with the professional, whose time it is.
     */
    private Future<Row> editable(StreamTransaction tx, Principal who, UUID id, boolean cancelling) {
        return tx.sql().preparedQuery("""
                        SELECT id, patient_id, professional_id, details_sealed, key_id, starts_at, ends_at, status FROM appointment
                        WHERE id = $1 AND (patient_id = $2 OR professional_id = $2) FOR UPDATE""")
                .execute(Tuple.of(id, who.id()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    Row row = rows.iterator().next();
                    if ("cancelled".equals(row.getString("status"))) {
                        return Future.failedFuture(ApiError.of(409, "appointment_cancelled", "This appointment was cancelled."));
                    }
                    boolean booker = row.getUUID("professional_id") == null || who.id().equals(row.getUUID("professional_id"));
                    boolean patientCancels = cancelling && who.is(Principal.Kind.PATIENT) && who.id().equals(row.getUUID("patient_id"));
                    if (!booker && !patientCancels) {
                        return Future.failedFuture(ApiError.of(403, "forbidden", "Ask the professional to move it; you may cancel it."));
                    }
                    return who.is(Principal.Kind.PROFESSIONAL)
                            ? CareTeam.blocked(tx.sql(), row.getUUID("patient_id"), who.id()).compose(blocked -> blocked
                                    ? Future.failedFuture(ApiError.nothingHere())
                                    : Future.succeededFuture(row))
                            : Future.succeededFuture(row);
                });
    }

    private JsonObject open(Row row) {
        return new JsonObject(sealer.openText(row.getBuffer("details_sealed").getBytes(), row.getString("key_id"),
                "appointment:" + row.getUUID("id")));
    }

    private static JsonObject details(JsonObject body) {
        String place = body.getValue("place") instanceof String p && !p.isBlank() && p.length() <= 300 ? p.strip() : null;
        if (place == null) {
            throw ApiError.invalidField("place", "place has 1 to 300 characters.");
        }
        Object title = body.getValue("title");
        if (title != null && (!(title instanceof String t) || t.isBlank() || t.length() > 200)) {
            throw ApiError.invalidField("title", "title has 1 to 200 characters.");
        }
        return new JsonObject().put("place", place).put("title", title == null ? "Rendez-vous" : ((String) title).strip());
    }

    static JsonObject view(UUID id, UUID patient, UUID professional, Instant start, Instant end, String status, JsonObject details) {
        return new JsonObject().put("id", id.toString()).put("patientId", patient.toString())
                .put("professionalId", professional == null ? null : professional.toString())
                .put("startsAt", ParisTime.show(start)).put("endsAt", ParisTime.show(end)).put("status", status)
                .put("title", details.getString("title")).put("place", details.getString("place"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
