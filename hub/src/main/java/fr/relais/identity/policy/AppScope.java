package fr.relais.identity.policy;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a catalogue app may ask a patient for, in the scope syntax of SMART on FHIR's app launch, and what each
 * scope opens in Relais: data categories to read, event types to follow, what it may add (measurements). {@code launch/patient} (the
 * app acts for the one patient who consents) is always asked; {@code offline_access} adds a refresh token.
 */
public enum AppScope {
    LAUNCH_PATIENT("launch/patient", Set.of(), Set.of()),
    OFFLINE_ACCESS("offline_access", Set.of(), Set.of()),
    DOCUMENTS("patient/DocumentReference.read", EnumSet.of(DataCategory.PRESCRIPTION, DataCategory.LAB_RESULT,
            DataCategory.DISCHARGE_REPORT, DataCategory.IMAGING_REPORT, DataCategory.VACCINATION_CERTIFICATE,
            DataCategory.OTHER_DOCUMENT), Set.of("document.arrived")),
    ALLERGIES("patient/AllergyIntolerance.read", EnumSet.of(DataCategory.ALLERGIES), Set.of("profile.updated")),
    CONDITIONS("patient/Condition.read", EnumSet.of(DataCategory.CONDITIONS), Set.of("profile.updated")),
    TREATMENTS("patient/MedicationStatement.read", EnumSet.of(DataCategory.TREATMENTS), Set.of("profile.updated")),
    VACCINATIONS("patient/Immunization.read", EnumSet.of(DataCategory.VACCINATIONS), Set.of("profile.updated")),
    MEASUREMENTS("patient/Observation.read", EnumSet.of(DataCategory.MEASUREMENTS), Set.of("profile.updated")),
    MEASUREMENTS_WRITE("patient/Observation.write", Set.of(), Set.of(), EnumSet.of(DataCategory.MEASUREMENTS)),
    AGENDA("patient/Appointment.read", Set.of(), Set.of("appointment.created", "appointment.moved",
            "appointment.cancelled", "reminder.due")),
    MESSAGES("patient/Communication.read", Set.of(), Set.of("conversation.created", "message.created",
            "conversation.closed"));

    private final String wire;
    private final Set<DataCategory> reads;
    private final Set<String> events;
    private final Set<DataCategory> writes;

    AppScope(String wire, Set<DataCategory> reads, Set<String> events) {
        this(wire, reads, events, Set.of());
    }

    AppScope(String wire, Set<DataCategory> reads, Set<String> events, Set<DataCategory> writes) {
        this.wire = wire;
        this.reads = reads;
        this.events = events;
        this.writes = writes;
    }

    /** What the scope lets an app add to its patient's data. */
    public Set<DataCategory> writes() {
        return writes;
    }

    public String wireName() {
        return wire;
    }

    public Set<DataCategory> reads() {
        return reads;
    }

    public Set<String> events() {
        return events;
    }

    public static Optional<AppScope> parse(String wire) {
        for (AppScope scope : values()) {
            if (scope.wire.equals(wire)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** Every scope's wire name, in declaration order (what the server metadata lists). */
    public static Set<String> wireNames() {
        Set<String> names = new LinkedHashSet<>();
        for (AppScope scope : values()) {
            names.add(scope.wire);
        }
        return names;
    }

    /** The scopes among {@code granted} (wire names) that this catalogue knows. */
    public static Set<AppScope> of(Set<String> granted) {
        Set<AppScope> scopes = EnumSet.noneOf(AppScope.class);
        granted.forEach(wire -> parse(wire).ifPresent(scopes::add));
        return scopes;
    }

    /** The profile section a scope reads ({@code allergies}…), for {@code profile.updated} events; null for others. */
    public String section() {
        return reads.size() == 1 && this != DOCUMENTS ? reads.iterator().next().wireName() : null;
    }
}
