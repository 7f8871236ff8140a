package fr.relais.record;

/** A document with its content, opened. */
public record DocumentFile(Document document, byte[] content) {
}
