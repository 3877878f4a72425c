package dev.antler.limits;

/**
 * Counts over the last 60 seconds in one-second buckets, for requests or tokens per minute. Not
 * thread-safe: the owner ({@link KeyCounters}) locks around it. A bucket may go below zero when a
 * settlement corrects an over-estimate; totals are never reported below zero.
 */
final class RateWindow {

    static final int SECONDS = 60;

    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    RateWindow() {
        java.util.Arrays.fill(stamps, Long.MIN_VALUE);
    }

    /** What was counted in the 60 seconds ending with {@code nowSecond}. */
    long total(long nowSecond) {
        long total = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (live(stamps[i], nowSecond)) {
                total += counts[i];
            }
        }
        return Math.max(0, total);
    }

    /** Adds {@code amount} (negative to correct) to the bucket of {@code second}, if still in the window. */
    void add(long second, long amount, long nowSecond) {
        if (!live(second, nowSecond)) {
            return;
        }
        int slot = (int) Math.floorMod(second, SECONDS);
        if (stamps[slot] != second) {
            stamps[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += amount;
    }

    /**
     * Whole seconds until {@code wanted} more fits under {@code limit} as older buckets leave the
     * window; at least 1, at most 60.
     */
    long secondsUntilFits(long nowSecond, long wanted, long limit) {
        long total = total(nowSecond);
        long freed = 0;
        for (long second = nowSecond - SECONDS + 1; second <= nowSecond; second++) {
            int slot = (int) Math.floorMod(second, SECONDS);
            if (stamps[slot] == second) {
                freed += counts[slot];
            }
            if (total - freed + wanted <= limit) {
                return Math.max(1, second + SECONDS - nowSecond);
            }
        }
        return SECONDS;
    }

    private static boolean live(long stamp, long nowSecond) {
        return stamp != Long.MIN_VALUE && stamp > nowSecond - SECONDS && stamp <= nowSecond;
    }
}
