package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.testing.ManualClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A breaker shared with other instances, on an injected clock: what this instance's requests do to it is told to
 * the listener (and only that); an opening heard holds it open for the time it has left plus a quarter to a half of
 * the open time, once per opening; a close heard closes only what another instance's opening holds.
 */
class SharedBreakersTest {

    /** Opens at 3 failures; open 40 s: an opening heard holds for its time left plus 10 to 20 s. */
    private final ManualClock clock = ManualClock.now();
    private final ChannelHealth health = new ChannelHealth(clock, new ChannelHealth.Settings(3, 60_000, 40_000, 60_000));
    private final Channel channel = new Channel(1, "c", "openai", "u", "k", Set.of(), Map.of(), 0, 1,
            Set.of("default"), Status.ACTIVE, null);
    private final List<String> told = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() {
        health.onBreakerChange(new ChannelHealth.BreakerListener() {
            @Override
            public void opened(long channelId, long openMs) {
                told.add(channelId + " opened for " + openMs);
            }

            @Override
            public void closed(long channelId) {
                told.add(channelId + " closed");
            }
        });
    }

    @Test
    void anOpeningAFailedProbeAndASuccessfulOneAreToldOnce() {
        openHere();
        assertThat(told).containsExactly("1 opened for 40000");
        health.onFailure(channel); // an attempt in flight when it opened
        clock.advanceSeconds(40);
        assertThat(health.tryAcquire(channel)).as("the probe").isTrue();
        health.onFailure(channel);
        clock.advanceSeconds(40);
        assertThat(health.tryAcquire(channel)).as("the next probe").isTrue();
        health.onSuccess(channel);
        health.onSuccess(channel);

        assertThat(told).containsExactly("1 opened for 40000", "1 opened for 40000", "1 closed");
    }

    @Test
    void anOpeningHeardHoldsForItsTimeLeftAndAQuarterToAHalfOfTheOpenTimeMore() {
        assertThat(health.heardOpened(1, 30_000, "m1")).isTrue();

        assertThat(health.tryAcquire(channel)).isFalse();
        assertThat(health.view(1)).isEqualTo(new ChannelHealth.View("open", 0, null, true));
        clock.advanceSeconds(39);
        assertThat(health.tryAcquire(channel)).as("30 s left there, and at least 10 s more here").isFalse();
        clock.advanceSeconds(11);
        assertThat(health.tryAcquire(channel)).as("a probe: at most 20 s more").isTrue();
        assertThat(told).as("what was heard is not told again").isEmpty();
    }

    @Test
    void theSameOpeningHeardTwiceIsAppliedOnce() {
        assertThat(health.heardOpened(1, 30_000, "m1")).isTrue();
        clock.advanceSeconds(30);
        assertThat(health.heardOpened(1, 30_000, "m1")).isFalse();
        clock.advanceSeconds(20);

        assertThat(health.tryAcquire(channel)).as("held from the first delivery only").isTrue();
    }

    @Test
    void theTimeHeardIsBoundedByThisInstancesOwnOpenTime() {
        health.heardOpened(1, 3_600_000, "m1");
        clock.advanceSeconds(60);

        assertThat(health.tryAcquire(channel)).isTrue();
    }

    @Test
    void aCloseHeardClosesWhatAnotherInstancesOpeningHolds() {
        health.heardOpened(1, 30_000, "m1");
        assertThat(health.heardClosed(1, "m2")).isTrue();

        assertThat(health.view(1)).isEqualTo(new ChannelHealth.View("closed", 0, null, false));
        assertThat(health.tryAcquire(channel)).isTrue();
        assertThat(health.tryAcquire(channel)).as("closed, not half-open").isTrue();
        assertThat(told).isEmpty();
    }

    @Test
    void aCloseHeardLeavesABreakerOpenedByThisInstancesOwnFailuresOrProbing() {
        openHere();
        assertThat(health.heardClosed(1, "m1")).isFalse();
        assertThat(health.tryAcquire(channel)).isFalse();

        health.heardOpened(1, 40_000, "m2");
        clock.advanceSeconds(60);
        assertThat(health.tryAcquire(channel)).as("its own probe, the hold over").isTrue();
        assertThat(health.heardClosed(1, "m3")).as("while its own probe runs").isFalse();
        assertThat(health.view(1).state()).isEqualTo("half_open");
    }

    @Test
    void anOpeningHeardExtendsAnOpenBreakerAndMakesItClosableFromElsewhere() {
        openHere();
        clock.advanceSeconds(30);
        health.heardOpened(1, 40_000, "m1");
        clock.advanceSeconds(49);
        assertThat(health.tryAcquire(channel)).as("held past its own 40 s").isFalse();

        assertThat(health.heardClosed(1, "m2")).isTrue();
        assertThat(health.tryAcquire(channel)).isTrue();
    }

    private void openHere() {
        for (int i = 0; i < 3; i++) {
            health.onFailure(channel);
        }
        assertThat(health.tryAcquire(channel)).isFalse();
        assertThat(health.view(1).openedElsewhere()).isFalse();
    }
}
