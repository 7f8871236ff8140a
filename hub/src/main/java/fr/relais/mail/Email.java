package fr.relais.mail;

import io.vertx.ext.mail.MailMessage;

/** One email to one person: a plain-text and an HTML part. Never health data (see docs/ARCHITECTURE.md). */
public record Email(String to, String subject, String text, String html) {

    /** The message every transport hands over: from {@code from}, identified by {@code messageId}. */
    MailMessage message(String from, String messageId) {
        return new MailMessage()
                .addHeader("Message-ID", "<" + messageId + "@relais>")
                .setFrom(from).setTo(to).setSubject(subject)
                .setText(text).setHtml(html);
    }
}
