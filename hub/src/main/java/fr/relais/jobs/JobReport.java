package fr.relais.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * What a job has done on this node: how many runs ended and how many failed, whether one is running, and the last
 * one (null before any ended): when it started, whether it succeeded, how long it took.
 */
public record JobReport(String name, Duration every, long runs, long failures, boolean running,
                        Instant lastStartedAt, Boolean lastSucceeded, Duration lastDuration) {
}
