package fr.relais.agenda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The French calendar as data gives the expected next dates for sample people. */
class PreventionRulesTest {
    private static final PreventionRules RULES = PreventionRules.load();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @Test
    void aWomanOf52WithARecentBoosterGetsBreastColorectalAndHpvButNoDtpBeforeHer65s() {
        var person = new PreventionRules.Person(LocalDate.of(1974, 3, 1), "F");
        var due = byCode(RULES.next(person, List.of(vaccination("Revaxis", "2021-05-10")), TODAY));
        assertEquals(LocalDate.of(2039, 3, 1), due.get("dtp"), "the next milestone after the 2021 booster is 65");
        assertEquals(LocalDate.of(2026, 3, 1), due.get("breast"), "every 2 years from 50: due since March (catch-up)");
        assertEquals(LocalDate.of(2026, 3, 1), due.get("colorectal"));
        assertEquals(LocalDate.of(2024, 3, 1), due.get("cervical_hpv"), "every 5 years from 30: 2004…2024");
        assertEquals(null, due.get("cervical_cytology"), "only from 25 to 29");
    }

    @Test
    void aMan40WithoutRecordsIsOverdueForTheDtpOf25AndHasNoBreastOrCervicalScreening() {
        var person = new PreventionRules.Person(LocalDate.of(1986, 7, 1), "M");
        var due = byCode(RULES.next(person, List.of(), TODAY));
        assertEquals(LocalDate.of(2011, 7, 1), due.get("dtp"), "overdue reminders are due at once");
        assertEquals(LocalDate.of(2036, 7, 1), due.get("colorectal"), "from 50");
        assertEquals(null, due.get("breast"));
        assertEquals(null, due.get("cervical_hpv"));
    }

    @Test
    void afterSixtyFiveBoostersComeEveryTenYearsAndScreeningsStopAfter74() {
        var person = new PreventionRules.Person(LocalDate.of(1946, 1, 1), "F");
        var due = byCode(RULES.next(person, List.of(vaccination("dTP", "2016-02-01")), TODAY));
        assertEquals(LocalDate.of(2021, 1, 1), due.get("dtp"),
                "boosters at 65 (2011) then every 10 years: the 2016 booster does not cover the one at 75, overdue since 2021");
        assertEquals(null, due.get("breast"), "over 74");
    }

    @Test
    void theInsGivesSexAndBirthMonth() {
        var person = PreventionRules.fromIns("2850375123456" + "00", TODAY);
        assertEquals("F", person.sex());
        assertEquals(LocalDate.of(1985, 3, 1), person.birth());
        assertEquals(LocalDate.of(2003, 1, 1), PreventionRules.fromIns("1031375123456" + "00", TODAY).birth(),
                "an unknown month (13) counts as January");
    }

    private static Map<String, LocalDate> byCode(List<PreventionRules.Due> due) {
        return due.stream().collect(Collectors.toMap(PreventionRules.Due::code, PreventionRules.Due::date));
    }

    private static JsonObject vaccination(String vaccine, String date) {
        return new JsonObject().put("data", new JsonObject().put("vaccine", vaccine).put("date", date));
    }
}
