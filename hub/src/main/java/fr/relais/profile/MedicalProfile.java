package fr.relais.profile;

import fr.relais.principal.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The medical profile as other code calls it, in-process: its REST routes, and the agenda (which plans reminders
 * from treatments and vaccinations). A refusal fails the future with the {@code ApiError} the client is answered with.
 * An entry's {@code data} is the section's fields, as {@link ProfileSection} checks and normalises them.
 */
public interface MedicalProfile {
    /** The sections of the patient's profile that {@code who} may read, with their live entries. */
    Future<ProfileView> get(Principal who, UUID patient);

    Future<ProfileEntry> add(Principal who, UUID patient, ProfileSection section, JsonObject data);

    Future<ProfileEntry> update(Principal who, UUID patient, ProfileSection section, UUID entry, JsonObject data);

    Future<Void> delete(Principal who, UUID patient, ProfileSection section, UUID entry);

    /** Every version of an entry, the deleted ones included. */
    Future<EntryHistory> history(Principal who, UUID patient, ProfileSection section, UUID entry);

    /**
     * The live entries of some sections, for the node's own work (the agenda's reminder planning): no caller, so no
     * access check and no access history; nothing of it leaves the hub.
     */
    Future<List<ProfileEntry>> entries(UUID patient, Set<ProfileSection> sections);
}
