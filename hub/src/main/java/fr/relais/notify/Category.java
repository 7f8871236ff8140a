package fr.relais.notify;

import java.util.Locale;
import java.util.Optional;

/** What a missed event is about, as people choose their emails: by category. */
public enum Category {
    MESSAGES, DOCUMENTS, REMINDERS, RECORD_ACCESSES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Category> parse(String name) {
        for (Category category : values()) {
            if (category.wireName().equals(name)) {
                return Optional.of(category);
            }
        }
        return Optional.empty();
    }

    /** The category of a stream event type; empty for events that never warrant an email. */
    static Optional<Category> of(String eventType) {
        return switch (eventType) {
            case "message.created" -> Optional.of(MESSAGES);
            case "document.arrived" -> Optional.of(DOCUMENTS);
            case "reminder.due" -> Optional.of(REMINDERS);
            case "record.accessed", "record.emergency_access" -> Optional.of(RECORD_ACCESSES);
            default -> Optional.empty();
        };
    }
}
