package fr.relais.jobs;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A piece of background work a node runs periodically: a scheduler tick, a dispatch, a scan, a trim, an upkeep.
 * {@code work} starts one run and returns its future; it must not block (it runs on an event loop).
 *
 * @param firstAfter how long after the start the first run comes (one interval, unless said otherwise)
 */
public record Job(String name, Duration every, Duration firstAfter, Supplier<Future<?>> work) {

    public static Job every(String name, Duration every, Supplier<Future<?>> work) {
        return new Job(name, every, every, work);
    }

    /** The same job, first run {@code delay} after the start. */
    public Job firstAfter(Duration delay) {
        return new Job(name, every, delay, work);
    }
}
