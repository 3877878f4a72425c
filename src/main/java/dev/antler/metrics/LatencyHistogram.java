package dev.antler.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of durations in nanoseconds, cheap enough for every request: one array
 * increment per value. Buckets are log-linear (16 per power of two), so a percentile is reported
 * within 1/16 (6.25 %) of the true value; values of 2^41 ns (37 minutes) and above share the last
 * bucket. Recording from several threads is safe; {@link #reset()} races with concurrent recording
 * (a value recorded meanwhile may survive it), which is fine for measuring.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();
    private final LongAdder sum = new LongAdder();

    public void recordNanos(long nanos) {
        long value = Math.max(0, nanos);
        counts.incrementAndGet(index(value));
        sum.add(value);
        if (value > max.get()) {
            max.accumulateAndGet(value, Math::max);
        }
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        max.set(0);
        sum.reset();
    }

    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            total += copy[i];
        }
        return new Snapshot(copy, total, max.get(), sum.sum());
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The smallest value that falls in bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exponent = index / SUB_BUCKETS + SUB_BITS - 1;
        long sub = index % SUB_BUCKETS;
        return (1L << exponent) + (sub << (exponent - SUB_BITS));
    }

    /** A consistent copy of the counts. */
    public record Snapshot(long[] counts, long count, long maxNanos, long sumNanos) {

        /**
         * How many values were at most {@code nanos}, counting whole buckets only (a bucket that straddles
         * {@code nanos} is left out): a Prometheus bucket, accurate to a bucket's width (1/16).
         */
        public long countAtMost(long nanos) {
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                long upper = i + 1 < counts.length ? lowerBound(i + 1) : Long.MAX_VALUE;
                if (upper - 1 > nanos) {
                    break;
                }
                seen += counts[i];
            }
            return seen;
        }


        /**
         * The value at {@code percentile} (0 to 100): the middle of the bucket holding that rank,
         * never more than the largest value recorded; 0 when nothing was recorded.
         */
        public long percentileNanos(double percentile) {
            if (count == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    long low = lowerBound(i);
                    long high = i + 1 < counts.length ? lowerBound(i + 1) : low;
                    return Math.min(low + (high - low) / 2, maxNanos);
                }
            }
            return maxNanos;
        }
    }
}
