package fr.relais.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a failed send may succeed later: SMTP 5xx replies are permanent, the rest (4xx, no answer) temporary. */
final class SmtpFailures {
    private static final Pattern REPLY = Pattern.compile("\\b([245])\\d\\d[ -]");

    private SmtpFailures() {
    }

    static boolean permanent(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Matcher reply = REPLY.matcher(message);
        return reply.find() && reply.group(1).equals("5");
    }
}
