package fr.relais.agenda;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vaccination and screening calendar, read from {@code agenda/prevention-rules.json}, and the next due dates
 * it gives a person. Overdue reminders are due at once (catch-up): a date in the past is returned as it is.
 */
final class PreventionRules {
    /** A reminder the calendar asks for: which rule, and on which date. */
    record Due(String kind, String code, LocalDate date) {
    }

    /** What the rules need to know of a person. {@code sex} is "F", "M" or null when unknown. */
    record Person(LocalDate birth, String sex) {
    }

    private final JsonObject rules;

    private PreventionRules(JsonObject rules) {
        this.rules = rules;
    }

    static PreventionRules load() {
        try (InputStream in = PreventionRules.class.getResourceAsStream("/agenda/prevention-rules.json")) {
            return new PreventionRules(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next due date of each rule that applies to {@code person}, given the vaccinations they had. */
    List<Due> next(Person person, List<JsonObject> vaccinations, LocalDate today) {
        List<Due> due = new ArrayList<>();
        for (Object raw : rules.getJsonArray("vaccinations")) {
            JsonObject rule = (JsonObject) raw;
            LocalDate date = nextVaccination(rule, person.birth(), lastDone(rule, vaccinations), today);
            if (date != null) {
                due.add(new Due("vaccination", rule.getString("code"), date));
            }
        }
        for (Object raw : rules.getJsonArray("screenings")) {
            JsonObject rule = (JsonObject) raw;
            String sex = rule.getString("sex");
            if (sex != null && !sex.equals(person.sex())) {
                continue;
            }
            LocalDate date = nextScreening(rule, person.birth(), today);
            if (date != null) {
                due.add(new Due("screening", rule.getString("code"), date));
            }
        }
        return due;
    }

    static LocalDate nextVaccination(JsonObject rule, LocalDate birth, LocalDate lastDone, LocalDate today) {
        List<LocalDate> milestones = new ArrayList<>();
        JsonArray ages = rule.getJsonArray("ages");
        int age = 0;
        for (Object a : ages) {
            age = ((Number) a).intValue();
            milestones.add(birth.plusYears(age));
        }
        for (int next = age + rule.getInteger("thenEveryYears"); next <= 120; next += rule.getInteger("thenEveryYears")) {
            milestones.add(birth.plusYears(next));
        }
        if (lastDone == null) {
            LocalDate latestPast = null;
            for (LocalDate milestone : milestones) {
                if (!milestone.isAfter(today)) {
                    latestPast = milestone;
                } else {
                    return latestPast != null ? latestPast : milestone;
                }
            }
            return latestPast;
        }
        LocalDate covered = lastDone.plusYears(rule.getInteger("coversIfDoneWithinYearsBefore", 0));
        return milestones.stream().filter(m -> m.isAfter(covered)).findFirst().orElse(null);
    }

    static LocalDate nextScreening(JsonObject rule, LocalDate birth, LocalDate today) {
        LocalDate first = birth.plusYears(rule.getInteger("fromAge"));
        LocalDate end = birth.plusYears(rule.getInteger("toAge") + 1L);
        if (!today.isBefore(end)) {
            return null; // past the age range
        }
        LocalDate current = null;
        for (LocalDate d = first; d.isBefore(end); d = d.plusYears(rule.getInteger("everyYears"))) {
            if (!d.isAfter(today)) {
                current = d;
            } else {
                return current != null ? current : d;
            }
        }
        return current;
    }

    private static LocalDate lastDone(JsonObject rule, List<JsonObject> vaccinations) {
        LocalDate last = null;
        for (JsonObject entry : vaccinations) {
            JsonObject data = entry.getJsonObject("data");
            String vaccine = data.getString("vaccine", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            boolean matches = rule.getJsonArray("matches").stream().anyMatch(m -> vaccine.contains(m.toString()));
            if (matches) {
                LocalDate date = LocalDate.parse(data.getString("date"));
                if (last == null || date.isAfter(last)) {
                    last = date;
                }
            }
        }
        return last;
    }

    /** Birth month and sex as the INS (the NIR) encodes them; the day is not in it, so the 1st is used. */
    static Person fromIns(String ins, LocalDate today) {
        char sexDigit = ins.charAt(0);
        String sex = sexDigit == '1' ? "M" : sexDigit == '2' ? "F" : null;
        int yy = Integer.parseInt(ins.substring(1, 3));
        int month = Integer.parseInt(ins.substring(3, 5));
        int year = 2000 + yy <= today.getYear() ? 2000 + yy : 1900 + yy;
        return new Person(LocalDate.of(year, month >= 1 && month <= 12 ? month : 1, 1), sex);
    }
}
