package fr.relais.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the way tests wait, never with a fixed sleep. */
public final class Eventually {
    private Eventually() {
    }

    public static <T> T await(String what, Duration deadline, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long end = System.nanoTime() + deadline.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < end) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        AssertionError error = new AssertionError("timed out after " + deadline + " waiting for " + what
                + "; last seen: " + last);
        if (lastError != null) {
            error.initCause(lastError);
        }
        throw error;
    }
}
