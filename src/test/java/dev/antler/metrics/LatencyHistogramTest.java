package dev.antler.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndOrdered() {
        int previous = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int index = LatencyHistogram.index(v);
            assertThat(index).isBetween(previous, previous + 1);
            assertThat(LatencyHistogram.lowerBound(index)).isLessThanOrEqualTo(v);
            previous = index;
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.index(1L << 41));
    }

    @Test
    void percentilesAreWithinTheBucketResolution() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 1000; micros++) {
            histogram.recordNanos(micros * 1000);
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.count()).isEqualTo(1000);
        assertThat(snapshot.maxNanos()).isEqualTo(1_000_000);
        assertThat((double) snapshot.percentileNanos(50)).isCloseTo(500_000, within(500_000 / 16.0));
        assertThat((double) snapshot.percentileNanos(99)).isCloseTo(990_000, within(990_000 / 16.0));
        assertThat(snapshot.percentileNanos(100)).isLessThanOrEqualTo(1_000_000);
    }

    @Test
    void emptyAndReset() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.snapshot().percentileNanos(50)).isZero();
        histogram.recordNanos(-5);
        histogram.recordNanos(42);
        assertThat(histogram.snapshot().count()).isEqualTo(2);
        assertThat(histogram.snapshot().percentileNanos(100)).isEqualTo(42);
        histogram.reset();
        assertThat(histogram.snapshot().count()).isZero();
        assertThat(histogram.snapshot().maxNanos()).isZero();
    }
}
