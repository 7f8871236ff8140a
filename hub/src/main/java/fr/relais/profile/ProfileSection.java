package fr.relais.profile;

import fr.relais.error.ApiError;
import fr.relais.identity.policy.DataCategory;
import fr.relais.web.DateWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The sections of the medical profile, each with the shape of its entries, validated before anything is written. */
public enum ProfileSection {
    ALLERGIES(DataCategory.ALLERGIES),
    CONDITIONS(DataCategory.CONDITIONS),
    TREATMENTS(DataCategory.TREATMENTS),
    VACCINATIONS(DataCategory.VACCINATIONS),
    MEASUREMENTS(DataCategory.MEASUREMENTS);

    /** Plausible values per measurement type and unit: [min, max]. */
    private static final Map<String, Map<String, double[]>> MEASURES = Map.of(
            "weight", Map.of("kg", new double[] {0.3, 500}),
            "height", Map.of("cm", new double[] {20, 280}),
            "glucose", Map.of("g/L", new double[] {0.1, 10}, "mmol/L", new double[] {0.5, 55}),
            "temperature", Map.of("°C", new double[] {25, 45}),
            "heart_rate", Map.of("bpm", new double[] {20, 300}),
            "blood_pressure", Map.of("mmHg", new double[] {20, 300}));

    private final DataCategory category;

    ProfileSection(DataCategory category) {
        this.category = category;
    }

    DataCategory category() {
        return category;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ProfileSection parse(String raw) {
        for (ProfileSection section : values()) {
            if (section.wireName().equals(raw)) {
                return section;
            }
        }
        throw ApiError.nothingHere();
    }

    /** The entry, normalised; fails naming the field that is wrong. */
    JsonObject validate(JsonObject data, LocalDate today) {
        JsonObject out = new JsonObject();
        switch (this) {
            case ALLERGIES -> {
                out.put("substance", text(data, "substance", 200, true));
                putIf(out, "reaction", text(data, "reaction", 500, false));
                out.put("severity", oneOf(data, "severity", "mild", "moderate", "severe"));
            }
            case CONDITIONS -> {
                out.put("name", text(data, "name", 200, true));
                putIf(out, "since", date(data, "since", today, false));
                putIf(out, "notes", text(data, "notes", 1000, false));
            }
            case TREATMENTS -> {
                out.put("medicine", text(data, "medicine", 200, true));
                out.put("dose", text(data, "dose", 100, true));
                out.put("times", times(data));
                String from = date(data, "from", today.plusYears(5), false);
                String until = date(data, "until", today.plusYears(50), false);
                if (from != null && until != null && until.compareTo(from) < 0) {
                    throw ApiError.invalidField("data.until", "until cannot be before from.");
                }
                putIf(out, "from", from);
                putIf(out, "until", until);
            }
            case VACCINATIONS -> {
                out.put("vaccine", text(data, "vaccine", 200, true));
                out.put("date", date(data, "date", today, true));
                putIf(out, "batch", text(data, "batch", 50, false));
            }
            case MEASUREMENTS -> measurement(data, out, today);
            default -> throw new IllegalStateException();
        }
        return out;
    }

    private static void measurement(JsonObject data, JsonObject out, LocalDate today) {
        String type = oneOf(data, "type", MEASURES.keySet().stream().sorted().toArray(String[]::new));
        String unit = oneOf(data, "unit", MEASURES.get(type).keySet().stream().sorted().toArray(String[]::new));
        double[] range = MEASURES.get(type).get(unit);
        out.put("type", type).put("unit", unit);
        if (type.equals("blood_pressure")) {
            double systolic = number(data, "systolic", 50, 300);
            double diastolic = number(data, "diastolic", 20, 200);
            if (diastolic >= systolic) {
                throw ApiError.invalidField("data.diastolic", "The diastolic pressure must be below the systolic one.");
            }
            out.put("systolic", systolic).put("diastolic", diastolic);
        } else {
            out.put("value", number(data, "value", range[0], range[1]));
        }
        OffsetDateTime when;
        try {
            when = OffsetDateTime.parse(String.valueOf(data.getValue("at")));
        } catch (DateTimeParseException e) {
            throw ApiError.invalidField("data.at", "at is a date and time such as 2026-11-23T08:30:00+01:00.");
        }
        if (when.toLocalDate().isAfter(today.plusDays(1))) {
            throw ApiError.invalidField("data.at", "A measurement cannot be in the future.");
        }
        out.put("at", DateWindow.check(when.toInstant(), "data.at").toString());
    }

    private static double number(JsonObject data, String field, double min, double max) {
        if (!(data.getValue(field) instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw ApiError.invalidField("data." + field, field + " must be a plausible value between " + min + " and " + max + ".");
        }
        return n.doubleValue();
    }

    private static JsonArray times(JsonObject data) {
        if (!(data.getValue("times") instanceof JsonArray times) || times.isEmpty() || times.size() > 12) {
            throw ApiError.invalidField("data.times", "times lists 1 to 12 times of day such as \"08:00\".");
        }
        for (Object time : times) {
            if (!(time instanceof String t) || !t.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
                throw ApiError.invalidField("data.times", "Each time of day is written HH:MM, such as 08:00.");
            }
        }
        return times.copy();
    }

    private static String text(JsonObject data, String field, int max, boolean required) {
        Object value = data.getValue(field);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank() || text.length() > max) {
            throw ApiError.invalidField("data." + field, field + " is text of 1 to " + max + " characters.");
        }
        return text.strip();
    }

    private static String date(JsonObject data, String field, LocalDate latest, boolean required) {
        Object value = data.getValue(field);
        if (value == null && !required) {
            return null;
        }
        LocalDate date = DateWindow.date(value, "data." + field);
        if (date.isAfter(latest)) {
            throw ApiError.invalidField("data." + field, field + " is not a plausible date.");
        }
        return date.toString();
    }

    private static String oneOf(JsonObject data, String field, String... allowed) {
        Object value = data.getValue(field);
        for (String option : allowed) {
            if (option.equals(value)) {
                return option;
            }
        }
        throw ApiError.invalidField("data." + field, field + " must be one of " + String.join(", ", allowed) + ".");
    }

    private static void putIf(JsonObject out, String field, String value) {
        if (value != null) {
            out.put(field, value);
        }
    }
}
