package dev.antler.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed upper bounds: one adder per bucket plus the sum, so recording
 * is a short scan of the bounds and two increments. Exposed cumulatively, in seconds.
 */
final class Buckets {

    /** Upper bounds in seconds for request and first-byte times. */
    static final double[] REQUEST_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final long[] boundsMicros;
    private final LongAdder[] counts;
    private final LongAdder sumMicros = new LongAdder();

    Buckets(double[] boundsSeconds) {
        boundsMicros = new long[boundsSeconds.length];
        counts = new LongAdder[boundsSeconds.length + 1];
        for (int i = 0; i < boundsSeconds.length; i++) {
            boundsMicros[i] = Math.round(boundsSeconds[i] * 1_000_000);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void recordMillis(long millis) {
        long micros = Math.max(0, millis) * 1000;
        int i = 0;
        while (i < boundsMicros.length && micros > boundsMicros[i]) {
            i++;
        }
        counts[i].increment();
        sumMicros.add(micros);
    }

    /** Writes the {@code _bucket}, {@code _sum} and {@code _count} lines of {@code name} with {@code labels}. */
    void write(PromText out, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < boundsMicros.length; i++) {
            cumulative += counts[i].sum();
            out.bucket(name, labels, PromText.seconds(boundsMicros[i]), cumulative);
        }
        cumulative += counts[boundsMicros.length].sum();
        out.bucket(name, labels, "+Inf", cumulative);
        out.sample(name + "_sum", labels, PromText.seconds(sumMicros.sum()));
        out.sample(name + "_count", labels, Long.toString(cumulative));
    }
}
