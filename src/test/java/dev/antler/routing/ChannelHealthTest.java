package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The circuit breaker and Retry-After rests, on an injected clock: no test sleeps. */
class ChannelHealthTest {

    private final MutableClock clock = new MutableClock();
    private final ChannelHealth health = new ChannelHealth(clock, new ChannelHealth.Settings(3, 10_000, 5_000, 60_000));
    private final Channel channel = new Channel(1, "c", "openai", "u", "k", Set.of(), Map.of(), 0, 1,
            Set.of("default"), Status.ACTIVE, null);

    @Test
    void opensAfterTheThresholdOfFailuresWithinTheWindow() {
        health.onFailure(channel);
        health.onFailure(channel);
        assertThat(health.tryAcquire(channel)).isTrue();
        health.onFailure(channel);

        assertThat(health.tryAcquire(channel)).isFalse();
        assertThat(health.view(1).state()).isEqualTo("open");
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        health.onFailure(channel);
        health.onFailure(channel);
        clock.advance(10_000);
        health.onFailure(channel);

        assertThat(health.tryAcquire(channel)).isTrue();
        assertThat(health.view(1).recentFailures()).isEqualTo(1);
    }

    @Test
    void halfOpenLetsOneProbeThroughAndItsSuccessCloses() {
        open();
        clock.advance(4_999);
        assertThat(health.tryAcquire(channel)).isFalse();
        clock.advance(1);
        assertThat(health.view(1).state()).isEqualTo("half_open");

        assertThat(health.tryAcquire(channel)).as("the probe").isTrue();
        assertThat(health.tryAcquire(channel)).as("a second request while the probe runs").isFalse();
        health.onSuccess(channel);

        assertThat(health.view(1).state()).isEqualTo("closed");
        assertThat(health.tryAcquire(channel)).isTrue();
        assertThat(health.tryAcquire(channel)).isTrue();
    }

    @Test
    void aFailedProbeOpensAgainForAnotherPeriod() {
        open();
        clock.advance(5_000);
        assertThat(health.tryAcquire(channel)).isTrue();
        health.onFailure(channel);

        assertThat(health.tryAcquire(channel)).isFalse();
        clock.advance(4_999);
        assertThat(health.tryAcquire(channel)).isFalse();
        clock.advance(1);
        assertThat(health.tryAcquire(channel)).isTrue();
    }

    @Test
    void anAbandonedProbeFreesTheProbeSlot() {
        open();
        clock.advance(5_000);
        assertThat(health.tryAcquire(channel)).isTrue();
        health.onAbandoned(channel);

        assertThat(health.tryAcquire(channel)).isTrue();
    }

    @Test
    void retryAfterRestsTheChannelUntilThenCappedByTheSettings() {
        health.coolDown(channel, 30_000);
        assertThat(health.tryAcquire(channel)).isFalse();
        assertThat(health.view(1).coolUntil()).isEqualTo(clock.millis() + 30_000);
        clock.advance(29_999);
        assertThat(health.tryAcquire(channel)).isFalse();
        clock.advance(1);
        assertThat(health.tryAcquire(channel)).isTrue();

        health.coolDown(channel, 3_600_000);
        assertThat(health.view(1).coolUntil()).isEqualTo(clock.millis() + 60_000);
    }

    @Test
    void disablingTakesTheChannelOutAtOnceAndReportsTheReason() {
        List<String> reasons = new ArrayList<>();
        health.onDisable((c, reason) -> reasons.add(c.name() + ": " + reason));

        health.disable(channel, "auto-disabled: upstream HTTP 401");

        assertThat(reasons).containsExactly("c: auto-disabled: upstream HTTP 401");
        assertThat(health.tryAcquire(channel)).isFalse();
        health.reset(1);
        assertThat(health.tryAcquire(channel)).isTrue();
    }

    @Test
    void recognisesChannelsTheGatewayDisabledItself() {
        assertThat(ChannelHealth.isAutoDisabled(channel.withStatus(Status.DISABLED, "auto-disabled: x"))).isTrue();
        assertThat(ChannelHealth.isAutoDisabled(channel.withStatus(Status.DISABLED, "maintenance"))).isFalse();
        assertThat(ChannelHealth.isAutoDisabled(channel.withStatus(Status.ACTIVE, "auto-disabled: x"))).isFalse();
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            health.onFailure(channel);
        }
        assertThat(health.tryAcquire(channel)).isFalse();
    }

    private static final class MutableClock extends Clock {
        private long millis = 1_700_000_000_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
