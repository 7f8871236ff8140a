package fr.relais.identity.policy;

import fr.relais.mail.Email;
import fr.relais.mail.EmailOutbox;
import fr.relais.mail.Html;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Tells a patient by email, at once, that a professional opened their record by emergency access. It is a security
 * email (sent whatever the quiet hours and preferences, and it cannot be unsubscribed), queued in the transaction
 * that opens the access, once per access. It says that it happened, for how long, and where to read more: never
 * who, never why, nothing of the record. The history, behind the patient's login, shows who and the reason.
 */
public final class EmergencyAccessNotice {
    private final EmailOutbox outbox;
    private final Supplier<String> loginUrl;
    private final Clock clock;

    public EmergencyAccessNotice(EmailOutbox outbox, Supplier<String> publicBaseUrl, Clock clock) {
        this.outbox = outbox;
        this.loginUrl = () -> publicBaseUrl.get() + "/";
        this.clock = clock;
    }

    Future<Void> queue(SqlClient tx, UUID emergencyAccess, UUID patient, String email, Duration lasting) {
        return outbox.enqueue(tx, "emergency-access:" + emergencyAccess, patient, "security", EmailOutbox.SECURITY,
                render(email, lasting, loginUrl.get()), null, clock.instant()).mapEmpty();
    }

    /** Wakes the dispatcher once the access is committed. */
    void send() {
        outbox.kick();
    }

    /** The email's words, in French like the other security emails. */
    static Email render(String to, Duration lasting, String loginUrl) {
        long hours = Math.max(1, lasting.toHours());
        String happened = "Un professionnel de santé a ouvert votre dossier en urgence (accès « bris de glace »), sans "
                + "que vous l'ayez déclaré parmi ceux qui vous soignent. Cet accès prend fin de lui-même au bout de "
                + hours + " heure" + (hours > 1 ? "s" : "") + ".";
        String where = "Qui, quand et pourquoi : connectez-vous et consultez l'historique des accès à votre dossier.";
        String object = "Vous pouvez vous opposer aux accès en urgence depuis votre espace ; cela met fin aussi à ceux en cours.";
        String text = "Bonjour,\n\n" + happened + "\n\n" + where + "\n" + loginUrl + "\n\n" + object + "\n";
        String html = "<p>Bonjour,</p><p>" + Html.escape(happened) + "</p><p>" + Html.escape(where) + "<br><a href=\""
                + Html.escape(loginUrl) + "\">Se connecter</a></p><p>" + Html.escape(object) + "</p>";
        return new Email(to, "Accès en urgence à votre dossier", text, html);
    }
}
