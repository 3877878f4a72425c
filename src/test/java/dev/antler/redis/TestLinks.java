package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.RedisConfig;
import dev.antler.testing.TestRedis;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Links to a test's Redis ({@link RedisLink}), one per gateway instance the test stands for, on a Vert.x of their
 * own. Made with {@link #link}, so that what the test builds on them registers its scripts first; {@link #connect}
 * then connects them all and waits until they are up. {@link #close} closes them and the Vert.x.
 */
final class TestLinks implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    private final List<RedisLink> links = new ArrayList<>();

    /** The machine's shared Redis under {@code prefix}, answers awaited up to 2 s, leases of {@code leaseMs}. */
    static RedisConfig shared(String prefix, long leaseMs) {
        return new RedisConfig(TestRedis.sharedUrl(), prefix, 2_000L, 2, leaseMs, 100L);
    }

    /** A link with {@code config} (not connected yet). */
    RedisLink link(RedisConfig config, Clock clock) {
        RedisLink link = new RedisLink(vertx, config, clock);
        links.add(link);
        return link;
    }

    /** Connects every link and waits (up to 10 s) until each is up. */
    void connect() {
        links.forEach(RedisLink::connect);
        links.forEach(link -> await(link::up, "redis up", 10));
    }

    /** Waits up to {@code seconds} until {@code condition} holds (Redis is reached in the background). */
    static void await(BooleanSupplier condition, String what, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within %d s", what, seconds).isLessThan(deadline);
            SharedLimitsTest.sleep(10);
        }
    }

    @Override
    public void close() {
        links.forEach(RedisLink::close);
        vertx.close().await();
    }
}
