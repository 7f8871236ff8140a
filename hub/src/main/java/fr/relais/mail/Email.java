package fr.relais.mail;

/** One email to one person: a plain-text and an HTML part. Never health data (see docs/ARCHITECTURE.md). */
public record Email(String to, String subject, String text, String html) {
}
