package fr.relais.outbox;

import java.time.Duration;

/**
 * How one channel's dispatcher works: items claimed per batch, how long a claim holds, attempts before the dead
 * letters, and at most {@code perAddressPerHour} items to one address in any clock hour (0: no limit).
 */
public record DispatchSettings(int batchSize, Duration lease, int maxAttempts, int perAddressPerHour) {
}
