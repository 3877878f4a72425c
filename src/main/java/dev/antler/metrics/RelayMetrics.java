package dev.antler.metrics;

import dev.antler.billing.Usage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the relay counts, per gateway: requests, tokens and spend by family (the channel type), operation,
 * model, channel and HTTP status; request and first-byte times; streams and requests in flight.
 *
 * <p>The hot path costs one map read and a few adder increments per settled request: a series (family,
 * operation, model, channel) is built once, on its first request, and holds its meters bound — an array of
 * per-status counters indexed by the status code, and its two histograms. Nothing is formatted or looked up
 * by name until a scrape.
 */
public final class RelayMetrics {

    /** The family and channel labels of a request that reached no channel. */
    public static final String NONE = "none";

    private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final Map<String, LongAdder> sessionEnds = new ConcurrentHashMap<>();

    record SeriesKey(String family, String operation, String model, String channel) {}

    /** One series' meters, bound once. */
    static final class Series {
        final SeriesKey key;
        final AtomicReferenceArray<Outcome> byStatus = new AtomicReferenceArray<>(600);
        final Buckets total = new Buckets(Buckets.REQUEST_SECONDS);
        final Buckets firstByte = new Buckets(Buckets.REQUEST_SECONDS);

        Series(SeriesKey key) {
            this.key = key;
        }

        Outcome outcome(int status) {
            int index = status >= 0 && status < 600 ? status : 0;
            Outcome outcome = byStatus.get(index);
            if (outcome == null) {
                byStatus.compareAndSet(index, null, new Outcome());
                outcome = byStatus.get(index);
            }
            return outcome;
        }
    }

    /** The counters of one series and status. */
    static final class Outcome {
        final LongAdder requests = new LongAdder();
        final LongAdder promptTokens = new LongAdder();
        final LongAdder completionTokens = new LongAdder();
        final LongAdder cachedTokens = new LongAdder();
        final LongAdder spendNanos = new LongAdder();
    }

    /** A relayed call began; {@code stream} when the client asked for a stream. */
    public void started(boolean stream) {
        inFlight.incrementAndGet();
        if (stream) {
            streams.incrementAndGet();
        }
    }

    /**
     * A call settled (once per call begun with {@link #started}): its counts, charge and times.
     *
     * @param firstByteMs null when no upstream answer came
     */
    public void settled(boolean stream, String family, String operation, String model, String channel, int status,
                        Usage usage, long costNanos, long totalMs, Long firstByteMs) {
        inFlight.decrementAndGet();
        if (stream) {
            streams.decrementAndGet();
        }
        SeriesKey key = new SeriesKey(family, operation, model == null ? "" : model, channel);
        Series bound = series.get(key);
        if (bound == null) {
            bound = series.computeIfAbsent(key, Series::new);
        }
        Outcome outcome = bound.outcome(status);
        outcome.requests.increment();
        if (!usage.isEmpty()) {
            outcome.promptTokens.add(usage.promptTokens());
            outcome.completionTokens.add(usage.completionTokens());
            outcome.cachedTokens.add(usage.cachedTokens());
        }
        outcome.spendNanos.add(costNanos);
        bound.total.recordMillis(totalMs);
        if (firstByteMs != null) {
            bound.firstByte.recordMillis(firstByteMs);
        }
    }

    /** A Realtime session opened (both sockets up). */
    public void sessionOpened() {
        sessions.incrementAndGet();
    }

    /** A Realtime session ended, for {@code reason} (its usage log end reason). */
    public void sessionEnded(String reason) {
        sessions.decrementAndGet();
        sessionEnds.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    long sessions() {
        return sessions.get();
    }

    Map<String, LongAdder> sessionEnds() {
        return sessionEnds;
    }

    long inFlight() {
        return inFlight.get();
    }

    long streams() {
        return streams.get();
    }

    Iterable<Series> series() {
        return series.values();
    }
}
