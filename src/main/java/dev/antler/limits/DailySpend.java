package dev.antler.limits;

/**
 * One user's spend on the current UTC day, settled and held. Lock on the instance. Holds are not tied
 * to a day: a request held before midnight and settled after counts on the day it settles.
 */
final class DailySpend {

    private long day;
    private long spent;
    private long held;

    DailySpend(long day, long spent) {
        this.day = day;
        this.spent = spent;
    }

    /** Moves to {@code today}, starting from zero spent when the day changed. */
    void roll(long today) {
        if (today != day) {
            day = today;
            spent = 0;
        }
    }

    long committed() {
        return spent + held;
    }

    void hold(long amount) {
        held += amount;
    }

    void settle(long heldAmount, long charge, long today) {
        roll(today);
        held -= heldAmount;
        spent += charge;
    }

    void release(long heldAmount) {
        held -= heldAmount;
    }

    /** Counts at least {@code amount} spent today (the usage log's figure, which may lag this instance's). */
    void atLeast(long today, long amount) {
        roll(today);
        spent = Math.max(spent, amount);
    }

    long spent(long today) {
        roll(today);
        return spent;
    }
}
