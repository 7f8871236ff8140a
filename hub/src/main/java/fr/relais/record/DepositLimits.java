package fr.relais.record;

import java.time.Clock;
import java.time.LocalDate;

/** What a deposit must respect: the largest document, and a care date no later than tomorrow. */
public record DepositLimits(int maxDocumentSize, Clock clock) {
    LocalDate today() {
        return LocalDate.now(clock);
    }
}
