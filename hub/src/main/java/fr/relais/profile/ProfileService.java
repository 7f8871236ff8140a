package fr.relais.profile;

import fr.relais.audit.AuditEvent;
import fr.relais.audit.AuditLog;
import fr.relais.error.ApiError;
import fr.relais.identity.policy.AccessPolicy;
import fr.relais.identity.policy.DataCategory;
import fr.relais.principal.Principal;
import fr.relais.secrets.Sealer;
import fr.relais.stream.StreamTransaction;
import fr.relais.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The medical profile: allergies, conditions, treatments, vaccinations, measurements. Written by the patient, and
 * by professionals the access policy lets read that section; every change is a new version (who, when, what)
 * and a {@code profile.updated} event on the patient's stream. Runs on the
 * caller's event loop: its SQL is the reactive client's, and sealing is in memory.
 */
final class ProfileService implements MedicalProfile {
    private final Streams streams;
    private final AccessPolicy policy;
    private final AuditLog audit;
    private final Sealer sealer;
    private final Clock clock;

    ProfileService(Streams streams, AccessPolicy policy, AuditLog audit, Sealer sealer, Clock clock) {
        this.streams = streams;
        this.policy = policy;
        this.audit = audit;
        this.sealer = sealer;
        this.clock = clock;
    }

    @Override
    public Future<ProfileView> get(Principal who, UUID patient) {
        return streams.withTransaction(tx -> policy.read(tx, who, patient, DataCategory.IDENTITY, "profile.read",
                AccessPolicy.Seen.PROFILE).compose(access -> {
            Set<DataCategory> readable = policy.readableCategories(who);
            return tx.sql().preparedQuery("""
                            SELECT id, section, version, data_sealed, key_id, updated_at FROM profile_entry
                            WHERE patient_id = $1 AND NOT deleted ORDER BY section, updated_at DESC""")
                    .execute(Tuple.of(patient))
                    .map(rows -> {
                        Map<ProfileSection, List<ProfileEntry>> sections = new EnumMap<>(ProfileSection.class);
                        for (ProfileSection section : ProfileSection.values()) {
                            if (readable.contains(section.category())) {
                                sections.put(section, new ArrayList<>());
                            }
                        }
                        for (Row row : rows) {
                            List<ProfileEntry> list = sections.get(ProfileSection.parse(row.getString("section")));
                            if (list != null) {
                                list.add(entry(row));
                            }
                        }
                        return new ProfileView(sections);
                    });
        }));
    }

    @Override
    public Future<ProfileEntry> add(Principal who, UUID patient, ProfileSection section, JsonObject sent) {
        JsonObject data;
        try {
            data = section.validate(sent, LocalDate.now(clock));
        } catch (ApiError invalid) {
            return Future.failedFuture(invalid);
        }
        UUID id = UUID.randomUUID();
        // the entry, its version, audit entry and event all leave with the COMMIT; the entry is read once committed
        return streams.withTransaction(tx -> mayWrite(tx, who, patient, section, true).compose(v -> {
            Future<ProfileEntry> inserted = tx.sql().preparedQuery("""
                            INSERT INTO profile_entry (id, patient_id, section, version, data_sealed, key_id)
                            VALUES ($1, $2, $3, 1, $4, $5) RETURNING id, section, version, data_sealed, key_id, updated_at""")
                    .execute(Tuple.of(id, patient, section.wireName(), seal(data, id), sealer.keyId()))
                    .map(rows -> entry(rows.iterator().next()));
            tx.sendWithCommit(inserted);
            return changed(tx, who, patient, section, id, 1, "created", data).map(inserted);
        })).compose(inserted -> inserted);
    }

    @Override
    public Future<ProfileEntry> update(Principal who, UUID patient, ProfileSection section, UUID id, JsonObject sent) {
        JsonObject data;
        try {
            data = section.validate(sent, LocalDate.now(clock));
        } catch (ApiError invalid) {
            return Future.failedFuture(invalid);
        }
        return streams.withTransaction(tx -> mayWrite(tx, who, patient, section, false)
                .compose(v -> tx.sql().preparedQuery("""
                                UPDATE profile_entry SET version = version + 1, data_sealed = $4, updated_at = now()
                                WHERE id = $1 AND patient_id = $2 AND section = $3 AND NOT deleted
                                RETURNING id, section, version, data_sealed, key_id, updated_at""")
                        .execute(Tuple.of(id, patient, section.wireName(), seal(data, id))))
                .compose(updated -> {
                    if (updated.size() == 0) {
                        return Future.failedFuture(ApiError.nothingHere());
                    }
                    ProfileEntry entry = entry(updated.iterator().next());
                    return changed(tx, who, patient, section, id, entry.version(), "updated", data).map(entry);
                }));
    }

    @Override
    public Future<Void> delete(Principal who, UUID patient, ProfileSection section, UUID id) {
        return streams.withTransaction(tx -> mayWrite(tx, who, patient, section, false)
                .compose(v -> tx.sql().preparedQuery("""
                                UPDATE profile_entry SET version = version + 1, deleted = true, updated_at = now()
                                WHERE id = $1 AND patient_id = $2 AND section = $3 AND NOT deleted RETURNING version""")
                        .execute(Tuple.of(id, patient, section.wireName())))
                .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.nothingHere())
                        : changed(tx, who, patient, section, id, rows.iterator().next().getInteger("version"), "deleted",
                                new JsonObject())));
    }

    @Override
    public Future<EntryHistory> history(Principal who, UUID patient, ProfileSection section, UUID id) {
        return streams.withTransaction(tx -> policy.read(tx, who, patient, section.category(), "profile.history",
                        AccessPolicy.Seen.PROFILE)
                .compose(v -> tx.sql().preparedQuery("""
                                SELECT v.version, v.change, v.data_sealed, v.key_id, v.changed_by, v.changed_by_kind, v.changed_at
                                FROM profile_entry_version v JOIN profile_entry e ON e.id = v.entry_id
                                WHERE v.entry_id = $1 AND e.patient_id = $2 AND e.section = $3 ORDER BY v.version""")
                        .execute(Tuple.of(id, patient, section.wireName())))
                .map(rows -> {
                    List<EntryHistory.Version> versions = new ArrayList<>();
                    for (Row row : rows) {
                        versions.add(new EntryHistory.Version(row.getInteger("version"), row.getString("change"),
                                open(row, id, "profile-version:" + id + ":" + row.getInteger("version")),
                                row.getUUID("changed_by"), row.getString("changed_by_kind"),
                                row.getOffsetDateTime("changed_at").toInstant()));
                    }
                    if (versions.isEmpty()) {
                        throw ApiError.nothingHere();
                    }
                    return new EntryHistory(id, versions);
                }));
    }

    @Override
    public Future<List<ProfileEntry>> entries(UUID patient, Set<ProfileSection> sections) {
        return streams.pool().preparedQuery("""
                        SELECT id, section, version, data_sealed, key_id, updated_at FROM profile_entry
                        WHERE patient_id = $1 AND section = ANY($2) AND NOT deleted""")
                .execute(Tuple.tuple().addUUID(patient)
                        .addArrayOfString(sections.stream().map(ProfileSection::wireName).toArray(String[]::new)))
                .map(rows -> {
                    List<ProfileEntry> entries = new ArrayList<>();
                    rows.forEach(row -> entries.add(entry(row)));
                    return entries;
                });
    }

    /**
     * The patient writes their own profile; a professional needs to be allowed to read that section; a catalogue app
     * needs the patient's consent to add to it (measurements from connected devices), and only adds.
     */
    private Future<Void> mayWrite(StreamTransaction tx, Principal who, UUID patient, ProfileSection section, boolean adding) {
        if (who.is(Principal.Kind.PATIENT) && who.id().equals(patient)) {
            return Future.succeededFuture();
        }
        if (who.isApp()) { // an app adds; changing or deleting what is there stays the patient's and their professionals'
            return policy.appWrite(tx.sql(), who, patient, section.category(), "profile.write").compose(v -> adding
                    ? Future.succeededFuture()
                    : Future.failedFuture(ApiError.of(403, "forbidden", "An app adds entries; it does not change or delete them.")));
        }
        if (!who.is(Principal.Kind.PROFESSIONAL)) {
            return policy.read(tx, who, patient, section.category(), "profile.write", AccessPolicy.Seen.PROFILE).compose(v ->
                    Future.failedFuture(ApiError.of(403, "forbidden", "Only the patient and their professionals write the profile.")));
        }
        return policy.read(tx, who, patient, section.category(), "profile.write", AccessPolicy.Seen.PROFILE).mapEmpty();
    }

    /** The version, its audit entry and its event, sent with the COMMIT. */
    private Future<Void> changed(StreamTransaction tx, Principal who, UUID patient, ProfileSection section, UUID entry,
                                 int version, String change, JsonObject data) {
        tx.sendWithCommit(tx.sql().preparedQuery("""
                        INSERT INTO profile_entry_version (entry_id, version, change, data_sealed, key_id, changed_by, changed_by_kind)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.of(entry, version, change,
                        Buffer.buffer(sealer.seal(data.encode(), "profile-version:" + entry + ":" + version)), sealer.keyId(),
                        who.id(), who.kind().wireName())));
        if (!who.id().equals(patient)) {
            tx.sendWithCommit(audit.append(tx.sql(), AuditEvent.of(who.kind().wireName(), who.id().toString(), "profile." + change,
                    "success").patient(patient).detail("section", section.wireName())));
        }
        return tx.append(patient, "profile.updated", new JsonObject().put("section", section.wireName())
                .put("entryId", entry.toString()).put("version", version).put("change", change)
                .put("changedByKind", who.kind().wireName()));
    }

    private Buffer seal(JsonObject data, UUID id) {
        return Buffer.buffer(sealer.seal(data.encode(), "profile:" + id));
    }

    private ProfileEntry entry(Row row) {
        UUID id = row.getUUID("id");
        return new ProfileEntry(id, ProfileSection.parse(row.getString("section")), row.getInteger("version"),
                open(row, id, "profile:" + id), row.getOffsetDateTime("updated_at").toInstant());
    }

    private JsonObject open(Row row, UUID id, String context) {
        return new JsonObject(sealer.openText(row.getBuffer("data_sealed").getBytes(), row.getString("key_id"), context));
    }

}
