package fr.relais.outbox;

import java.util.Locale;

/** How an item of the outbox reaches its person. */
public enum Channel {
    EMAIL, SMS, PUSH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Channel of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
