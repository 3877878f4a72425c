package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.core.GatewayException;
import dev.antler.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** The gate in front of every hold: refuses past the bound, and measures ages in elapsed time, not by the clock. */
class LedgerBacklogTest {

    @Test
    void aClockMovedOnDoesNotAgeWhatTheWriterIsWriting() {
        ManualClock clock = ManualClock.now();
        LedgerBacklog backlog = new LedgerBacklog(clock, 100, 10_000);
        backlog.writing(System.nanoTime());
        clock.advanceSeconds(75); // a test moving its clock, or the wall clock stepped forward

        backlog.admitPaidWork();
        assertThat(backlog.oldestUnwrittenMillis()).isLessThan(10_000);
    }

    @Test
    void entriesPastTheBoundAreRefusedWith503AndRetryAfter() {
        LedgerBacklog backlog = new LedgerBacklog(ManualClock.now(), 2, 10_000);
        int[] queued = {2};
        backlog.measure(() -> queued[0]);

        GatewayException refused = catchThrowableOfType(GatewayException.class, backlog::admitPaidWork);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo("store_unavailable");
        assertThat(refused.retryAfterSeconds()).isEqualTo(5);

        queued[0] = 1;
        backlog.admitPaidWork();
    }

    @Test
    void aWriteWaitingPastTheAgeBoundIsRefused() {
        LedgerBacklog backlog = new LedgerBacklog(ManualClock.now(), 100, 1);
        backlog.writing(System.nanoTime() - 5_000_000); // 5 ms ago
        assertThat(catchThrowableOfType(GatewayException.class, backlog::admitPaidWork)).isNotNull();
        backlog.written();
        backlog.admitPaidWork();
    }
}
