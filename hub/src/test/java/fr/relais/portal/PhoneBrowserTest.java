package fr.relais.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.relais.testing.Browser;
import fr.relais.testing.Eventually;
import fr.relais.testing.People;
import fr.relais.testing.People.Person;
import fr.relais.testing.TestHub;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mobile number in a real headless Chromium: a patient adds hers in the settings, types the code the SMS
 * centre received, chooses SMS for her login codes, and the next login asks for the code sent by SMS to her number
 * (shown masked); a professional does the same from his own settings and, his phone out of reach, gets the code by
 * email instead.
 */
class PhoneBrowserTest {
    private static final Pattern CODE = Pattern.compile("(\\d{6})");

    @RegisterExtension
    static final TestHub hub = TestHub.create();

    private static String latestCode(String number, int count) {
        String text = Eventually.await("SMS #" + count + " to " + number, Duration.ofSeconds(20), () -> hub.smsc().to(number),
                list -> list.size() >= count).get(count - 1).text();
        Matcher matcher = CODE.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }

    private static void verifyAndChooseSms(Browser page, String typed, String number) {
        page.type("#phone-form input[name=number]", typed);
        page.click("#phone-form button[type=submit]");
        page.awaitText("#phone-settings", "Un code a été envoyé par SMS");
        page.type("#phone-code-form input[name=code]", latestCode(number, 1));
        page.click("#phone-code-form button[type=submit]");
        page.awaitText("#phone-number", "Numéro vérifié");
        page.select("#login-code-form select[name=loginCodeBy]", "sms");
        page.click("#login-code-form button[type=submit]");
        page.awaitText("#phone-settings", "Réglages enregistrés.");
    }

    @Test
    void aPatientProvesHerNumberChoosesSmsAndLogsInWithTheCodeSentToIt() {
        Person patient = hub.people().patient("Inès Garnier");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, patient);
            page.go("#/settings");
            page.awaitText("#phone-settings h2", "Téléphone mobile");
            verifyAndChooseSms(page, "06 45 12 78 90", "+33645127890");
            assertEquals(List.of(), page.accessibilityProblems(), "the settings with a verified number");
            page.screenshot("settings-phone");

            page.click("#logout");
            page.type("#login-form input[name=email]", patient.email());
            page.type("#login-form input[name=password]", People.PASSWORD);
            page.click("#login-form button[type=submit]");
            page.awaitText("#code-help", "par SMS au +33 6 •• •• •• 90");
            assertEquals(List.of(), page.accessibilityProblems(), "the code page of a login by SMS");
            page.screenshot("login-code-by-sms");
            page.type("#code-form input[name=code]", latestCode("+33645127890", 2));
            page.click("#code-form button[type=submit]");
            page.awaitText("#status", "En direct");
        }
    }

    @Test
    void aProfessionalWhosePhoneIsOutOfReachGetsTheCodeByEmailInstead() {
        Person doctor = hub.people().professional("Dr Hugo Perrin", "physician");
        try (Browser page = Browser.open(hub.port(), hub.clock())) {
            hub.people().logIn(page, doctor);
            page.clickLink("Réglages");
            page.awaitText("#phone-settings h2", "Téléphone mobile");
            verifyAndChooseSms(page, "+33 7 81 23 45 67", "+33781234567");

            page.click("#logout");
            page.type("#login-form input[name=email]", doctor.email());
            page.type("#login-form input[name=password]", People.PASSWORD);
            page.click("#login-form button[type=submit]");
            page.awaitText("#code-help", "par SMS au +33 7 •• •• •• 67");
            page.click(".code-help summary");
            page.click("#code-by-email");
            page.awaitText("#code-help", "par courriel");
            page.awaitText("#code-form label", "Code reçu par courriel");
            hub.people().awaitCode(doctor.email()); // that code's challenge is replaced by the next one
            page.click("#resend-code");
            page.awaitText(".code-help [role=status]", "Un nouveau code vous a été envoyé");
            page.type("#code-form input[name=code]", hub.people().awaitCode(doctor.email())); // a new code asked for goes by email too
            page.click("#code-form button[type=submit]");
            page.awaitText("#status", "En direct");
            assertEquals(2, hub.smsc().to("+33781234567").size(), "the verification's SMS and that login's, then the email");
        }
    }
}
