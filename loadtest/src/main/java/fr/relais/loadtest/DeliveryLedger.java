package fr.relais.loadtest;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Every send of one run and every frame the raw sockets saw, matched by message id and recipient once the run
 * is over: a send acknowledged but never delivered to its recipient is missing, a second frame with the same id
 * on one socket is a duplicate. Latencies are taken from each send's intended time (not from when it left), so
 * a stalled server cannot hide its stall by slowing the generator down.
 */
final class DeliveryLedger {
    /** An acknowledged send: the id it got, its recipient, when it was meant to leave, whether it is measured. */
    private record Sent(String id, int recipient, long intendedAt, boolean measured) {
    }

    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>(); // recipient:id → nanoTime
    private final Queue<Sent> acknowledged = new ConcurrentLinkedQueue<>();
    final Recorder answerLatency = new Recorder(3_600_000_000_000L, 3);
    /** How late the generator itself posted each measured send: if this grows, the generator is the bottleneck. */
    final Recorder generatorLate = new Recorder(3_600_000_000_000L, 3);
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    private volatile String firstError;

    /** A frame of message {@code id} on the socket of person {@code recipient}. */
    void arrived(int recipient, String id, long at) {
        if (firstArrival.putIfAbsent(recipient + ":" + id, at) != null) {
            duplicates.incrementAndGet();
        }
    }

    void acknowledged(String id, int recipient, long intendedAt, long answeredAt, boolean measured) {
        acknowledged.add(new Sent(id, recipient, intendedAt, measured));
        if (measured) {
            answerLatency.recordValue(Math.max(1, answeredAt - intendedAt));
        }
        answered.incrementAndGet();
    }

    void failed(String why) {
        if (firstError == null) {
            firstError = why;
        }
        errors.incrementAndGet();
        answered.incrementAndGet();
    }

    String firstError() {
        return firstError;
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    /** How many acknowledged sends have reached their recipient so far. */
    long delivered() {
        return acknowledged.stream().filter(s -> firstArrival.containsKey(s.recipient() + ":" + s.id())).count();
    }

    /** What the run comes to: latencies of the measured sends, what is missing, what reached a recipient in the window. */
    Outcome outcome(long windowStart, long windowEnd) {
        Histogram toSocket = new Histogram(3_600_000_000_000L, 3);
        long missing = 0;
        long deliveredInWindow = 0;
        for (Sent sent : acknowledged) {
            Long at = firstArrival.get(sent.recipient() + ":" + sent.id());
            if (at == null) {
                missing++;
                continue;
            }
            if (at >= windowStart && at < windowEnd) {
                deliveredInWindow++;
            }
            if (sent.measured()) {
                toSocket.recordValue(Math.max(1, at - sent.intendedAt()));
            }
        }
        return new Outcome(toSocket, answerLatency.getIntervalHistogram(), generatorLate.getIntervalHistogram(), missing,
                deliveredInWindow);
    }

    record Outcome(Histogram toSocket, Histogram answer, Histogram generatorLate, long missing, long deliveredInWindow) {
    }
}
