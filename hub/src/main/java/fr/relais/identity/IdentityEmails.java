package fr.relais.identity;

import fr.relais.mail.Email;
import fr.relais.mail.MailTemplates;
import fr.relais.sms.Sms;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The security emails and text messages of identity (templates {@code mail/login-code.*}, {@code mail/activation.*} and
 * {@code mail/emergency-access.*}). They carry a code or a link and nothing else: no health data, no detail of the account beyond the person's own name. They are
 * written in the hub's default language ({@code notify.defaultLocale}): the language a person may choose is a
 * notification preference, which identity does not read.
 */
public final class IdentityEmails {
    /** The templates these emails are written from. */
    public static final List<String> TEMPLATES = List.of("login-code", "activation", "emergency-access", "login-by-sms");
    /** The text messages (SMS) written from templates: each carries a code and nothing else. */
    public static final List<String> TEXTS = List.of("login-code", "phone-verification");

    private final MailTemplates templates;
    private final String language;

    public IdentityEmails(MailTemplates templates, String language) {
        this.templates = templates;
        this.language = language;
    }

    public Email loginCode(String to, String code, Duration lifetime) {
        return templates.render("login-code", language, to,
                Map.of("code", code, "minutes", Math.max(1, lifetime.toMinutes())));
    }

    /** The owner is told that their login codes now go by SMS to {@code maskedNumber} (all but two digits hidden). */
    public Email loginBySms(String to, String maskedNumber, String loginUrl) {
        return templates.render("login-by-sms", language, to, Map.of("number", maskedNumber, "loginUrl", loginUrl));
    }

    /** A login code by SMS, to the person's verified mobile number. */
    public Sms loginCodeSms(String number, String code) {
        return new Sms(number, templates.text("login-code", language, Map.of("code", code)));
    }

    /** The code that proves a person receives text messages at {@code number}. */
    public Sms phoneVerificationSms(String number, String code) {
        return new Sms(number, templates.text("phone-verification", language, Map.of("code", code)));
    }

    public Email activation(String to, String displayName, String link, String code, Duration lifetime) {
        return templates.render("activation", language, to, Map.of("displayName", displayName, "link", link, "code", code,
                "days", Math.max(1, lifetime.toDays())));
    }

    /** A professional opened the patient's record by emergency access: that it happened, for how long, where to read more. */
    public Email emergencyAccess(String to, Duration lasting, String loginUrl) {
        long hours = Math.max(1, lasting.toHours());
        return templates.render("emergency-access", language, to, Map.of("hours", hours, "plural", hours > 1, "loginUrl", loginUrl));
    }
}
