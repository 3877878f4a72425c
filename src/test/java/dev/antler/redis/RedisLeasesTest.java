package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.config.RedisConfig;
import dev.antler.limits.KeyLimits;
import dev.antler.limits.LimitExceeded;
import dev.antler.limits.MutableClock;
import dev.antler.limits.SharedLimits.SharedRequest;
import dev.antler.limits.SharedLimits.SharedTicket;
import dev.antler.testing.TestRedis;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leases of requests in flight on the shared limits: renewed while their instance lives, run out within
 * {@code redis.lease_ms} when it died (its slots and holds then free for the others), given back when it closes them.
 * Two {@link RedisLimits} stand for two instances; time is a clock the test moves.
 */
class RedisLeasesTest {

    private static final long LEASE_MS = 3_000;
    private static final long HOLD = 600;
    private static final KeyLimits ONE_AT_A_TIME = new KeyLimits(null, null, 1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T10:00:00Z"));
    private final String prefix = TestRedis.uniquePrefix();
    private final TestLinks links = new TestLinks();
    private RedisLimits instanceA;
    private RedisLimits instanceB;

    @BeforeEach
    void start() {
        RedisConfig config = TestLinks.shared(prefix, LEASE_MS);
        instanceA = new RedisLimits(links.vertx, links.link(config, clock), config, clock);
        instanceB = new RedisLimits(links.vertx, links.link(config, clock), config, clock);
        links.connect();
    }

    @AfterEach
    void stop() {
        instanceA.stop();
        instanceB.stop();
        links.close();
        TestRedis.deleteShared(prefix);
    }

    @Test
    void theSlotOfAnInstanceThatDiedIsFreeOnceItsLeaseRunsOut() {
        assertThat(admit(instanceA, ONE_AT_A_TIME, null)).isNotNull();
        instanceA.stop(); // dies: its request is never closed and its lease never renewed
        assertRefused(instanceB, ONE_AT_A_TIME, null, "concurrent requests: 1 already in flight on this key");

        clock.advance(Duration.ofMillis(LEASE_MS - 1));
        assertRefused(instanceB, ONE_AT_A_TIME, null, "concurrent requests: 1");
        clock.advance(Duration.ofMillis(2));
        assertThat(admit(instanceB, ONE_AT_A_TIME, null)).isNotNull();
    }

    @Test
    void aLiveInstanceRenewsItsLeasesAndFreesThemWhenItsRequestCloses() {
        SharedTicket running = admit(instanceA, ONE_AT_A_TIME, null);
        clock.advance(Duration.ofMillis(LEASE_MS - 500));
        SharedLimitsTest.sleep(LEASE_MS / 3 + 600); // one renewal at least, from the moved clock
        clock.advance(Duration.ofMillis(1_000)); // past the first expiry
        assertRefused(instanceB, ONE_AT_A_TIME, null, "concurrent requests: 1");

        instanceA.close(running, 0, 0, false, clock.millis());
        awaitAdmitted(instanceB, ONE_AT_A_TIME);
    }

    @Test
    void theDailyHoldOfAnInstanceThatDiedRunsOutWithItsLease() {
        long cap = HOLD * 3 / 2;
        assertThat(admit(instanceA, KeyLimits.NONE, cap)).isNotNull();
        instanceA.stop();
        assertRefused(instanceB, KeyLimits.NONE, cap, "daily spend: 0.0000006 USD spent or held today (UTC)");

        clock.advance(Duration.ofMillis(LEASE_MS + 1));
        SharedTicket second = admit(instanceB, KeyLimits.NONE, cap);
        assertThat(second.spentToday()).isZero();
        instanceB.close(second, 0, HOLD / 2 + 1, true, clock.millis()); // settled: the charge counts on the day
        awaitRefused(instanceB, KeyLimits.NONE, cap, "daily spend: 0.000000301 USD spent or held today (UTC)");
    }

    private SharedTicket admit(RedisLimits instance, KeyLimits limits, Long cap) {
        return request(instance, limits, cap).await();
    }

    private Future<SharedTicket> request(RedisLimits instance, KeyLimits limits, Long cap) {
        return instance.admit(new SharedRequest(7, 9, limits, cap, 0, HOLD, clock.millis(), 0));
    }

    private void assertRefused(RedisLimits instance, KeyLimits limits, Long cap, String message) {
        assertThatThrownBy(() -> admit(instance, limits, cap)).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining(message);
    }

    /** Closing is sent without waiting for its answer: the next admission may come just before it. */
    private void awaitAdmitted(RedisLimits instance, KeyLimits limits) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                assertThat(admit(instance, limits, null)).isNotNull();
                return;
            } catch (LimitExceeded e) {
                assertThat(System.nanoTime()).as("admitted within 5 s: " + e.getMessage()).isLessThan(deadline);
                SharedLimitsTest.sleep(10);
            }
        }
    }

    private void awaitRefused(RedisLimits instance, KeyLimits limits, Long cap, String message) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                SharedTicket admitted = admit(instance, limits, cap);
                instance.close(admitted, 0, 0, false, clock.millis());
                assertThat(System.nanoTime()).as("refused within 5 s").isLessThan(deadline);
                SharedLimitsTest.sleep(10);
            } catch (LimitExceeded e) {
                assertThat(e.getMessage()).contains(message);
                return;
            }
        }
    }
}
