package fr.relais.mail;

import fr.relais.outbox.Channel;
import fr.relais.outbox.Outgoing;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailMessage;
import java.time.Instant;
import java.util.UUID;

/** One email to one person: a plain-text and an HTML part. Never health data (see docs/ARCHITECTURE.md). */
public record Email(String to, String subject, String text, String html) {

    /** The email as an item of the outbox, to send from {@code notBefore} on. */
    public Outgoing outgoing(String dedupKey, UUID recipient, String category, int priority, Instant notBefore) {
        JsonObject content = new JsonObject().put("subject", subject).put("text", text).put("html", html);
        return Outgoing.of(Channel.EMAIL, dedupKey, recipient, to, category, priority, content, notBefore);
    }

    /** The email an outbox item holds. */
    static Email of(String to, JsonObject content) {
        return new Email(to, content.getString("subject"), content.getString("text"), content.getString("html"));
    }

    /** The message every transport hands over: from {@code from}, identified by {@code messageId}. */
    MailMessage message(String from, String messageId) {
        return new MailMessage()
                .addHeader("Message-ID", "<" + messageId + "@relais>")
                .setFrom(from).setTo(to).setSubject(subject)
                .setText(text).setHtml(html);
    }
}
