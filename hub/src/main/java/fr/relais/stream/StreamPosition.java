package fr.relais.stream;

/**
 * Where a stream stands: its epoch, the newest offset, the oldest offset still kept, and the highest offset
 * acknowledged by any of the recipient's clients. A recipient with no stream yet is at epoch "" and head 0.
 */
public record StreamPosition(String epoch, long head, long firstRetained, long acked) {

    public static final StreamPosition EMPTY = new StreamPosition("", 0, 1, 0);

    /** Whether a client that saw everything up to {@code offset} in {@code clientEpoch} can be brought up to date. */
    public boolean canRecoverFrom(String clientEpoch, long offset) {
        if (head == 0 && epoch.isEmpty()) {
            return true;
        }
        if (clientEpoch.isEmpty() && offset == 0) { // subscribed before the stream's first event
            return firstRetained <= 1;
        }
        return epoch.equals(clientEpoch) && offset >= firstRetained - 1 && offset <= head;
    }
}
