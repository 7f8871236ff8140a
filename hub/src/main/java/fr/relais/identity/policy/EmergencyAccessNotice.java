package fr.relais.identity.policy;

import fr.relais.identity.IdentityEmails;
import fr.relais.outbox.Channel;
import fr.relais.outbox.Outbox;
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
    private final Outbox outbox;
    private final IdentityEmails emails;
    private final Supplier<String> loginUrl;
    private final Clock clock;

    public EmergencyAccessNotice(Outbox outbox, IdentityEmails emails, Supplier<String> publicBaseUrl, Clock clock) {
        this.outbox = outbox;
        this.emails = emails;
        this.loginUrl = () -> publicBaseUrl.get() + "/";
        this.clock = clock;
    }

    Future<Void> queue(SqlClient tx, UUID emergencyAccess, UUID patient, String email, Duration lasting) {
        return outbox.enqueue(tx, emails.emergencyAccess(email, lasting, loginUrl.get()).outgoing("emergency-access:"
                + emergencyAccess, patient, "security", Outbox.SECURITY, clock.instant())).mapEmpty();
    }

    /** Wakes the dispatcher once the access is committed. */
    void send() {
        outbox.kick(Channel.EMAIL);
    }
}
