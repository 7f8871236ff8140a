package fr.relais.client;

/** The types of the events on a system's own stream (docs/asyncapi.yaml), to compare with {@link Event#type()}. */
public final class SystemEvents {
    /** A deposit committed: {documentId, kind, replaces, idempotencyKey}. */
    public static final String DOCUMENT_ACCEPTED = "document.accepted";
    /** The patient read the document for the first time: {documentId}. */
    public static final String DOCUMENT_OPENED = "document.opened";
    /** The patient hid it from professionals, or showed it again: {documentId, hidden}. */
    public static final String DOCUMENT_HIDDEN = "document.hidden";
    /** The patient deleted it (one event per version): {documentId}. */
    public static final String DOCUMENT_DELETED = "document.deleted";
    /** A message the system sent for a professional committed: {conversationId, messageId, seq, onBehalfOf, idempotencyKey}. */
    public static final String MESSAGE_ACCEPTED = "message.accepted";
    /** Another message in a conversation where it wrote for that professional: {conversationId, messageId, seq, senderId, onBehalfOf}. */
    public static final String MESSAGE_CREATED = "message.created";
    /** A professional let the system act for them: {professionalId}. */
    public static final String DELEGATION_GRANTED = "delegation.granted";
    /** A professional took that back: {professionalId}. */
    public static final String DELEGATION_REVOKED = "delegation.revoked";
    /** A patient closed their space (or refused it at activation): {documentIds, opposed}, the system's documents that went with it. */
    public static final String SPACE_CLOSED = "space.closed";
    /** A catalogue app: a patient allowed it: {consentId, patientId, scopes}. */
    public static final String CONSENT_GRANTED = "consent.granted";
    /** A catalogue app: a consent ended: {consentId, patientId, reason: revoked | blocked}, or {consentId, reason: space_closed}. */
    public static final String CONSENT_REVOKED = "consent.revoked";

    private SystemEvents() {
    }
}
