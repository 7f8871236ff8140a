package fr.relais.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Supplier;

/** Asserts that a call returns within a bound: for guarantees of the form "answered within N seconds". */
public final class Answered {
    private Answered() {
    }

    public static <T> T within(Duration bound, String what, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(bound) < 0, what + " was answered after " + took + ", more than " + bound);
        return result;
    }
}
