package fr.relais.outbox;

import io.vertx.core.Future;
import java.util.UUID;

/** Whether a person has read their events up to an offset: a digest that covers no more is dropped unsent. */
@FunctionalInterface
public interface ReadMarks {
    Future<Boolean> readUpTo(UUID recipient, long offset);
}
