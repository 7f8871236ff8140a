package fr.relais.client;

/** A position in a person's event stream: the last event received, in the stream's current epoch. */
public record Cursor(String epoch, long offset) {
}
