package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.Hold;
import dev.antler.billing.StoredHolds.Balance;
import dev.antler.billing.Usd;
import dev.antler.config.RedisConfig;
import dev.antler.core.GatewayException;
import dev.antler.limits.MutableClock;
import dev.antler.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The balance holds of two instances ({@link RedisHolds} A and B) on the shared Redis, against a "store" the test
 * holds: a hold sees the other instance's at once; a commit replaces the hold by the new balance in one step and an
 * older commit arriving late changes nothing; the holds of an instance that died run out and the balance is read
 * from the store again; a Redis that lost its data is noticed. Time is a clock the test moves.
 */
class RedisHoldsTest {

    private static final long LEASE_MS = 3_000;
    private static final long USER = 7;
    private static final int SHARED_PORT = 6379;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T10:00:00Z"));
    private final String prefix = TestRedis.uniquePrefix();
    private final AtomicReference<Balance> stored = new AtomicReference<>(new Balance(1_000, 1));
    private final AtomicInteger storeReads = new AtomicInteger();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final BalanceBook book = new BalanceBook();
    private final User user = new User(USER, "u", "default", Status.ACTIVE, 1_000_000, 0, 0, 0);
    private final ApiKey key = new ApiKey(3, USER, "k", "sk-…", Status.ACTIVE, null, null, 0, 0, Set.of(), 0, null);
    private final TestLinks links = new TestLinks();
    private RedisHolds a;
    private RedisHolds b;

    @BeforeEach
    void start() {
        RedisConfig config = TestLinks.shared(prefix, LEASE_MS);
        a = new RedisHolds(links.vertx, links.link(config, clock), config, clock);
        b = new RedisHolds(links.vertx, links.link(config, clock), config, clock);
        links.connect();
        a.beginAdmitting();
        b.beginAdmitting();
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
        links.close();
        blocking.close();
        TestRedis.deleteShared(prefix);
    }

    @Test
    void aHoldOnOneInstanceIsSeenByTheOtherAtOnce() {
        take(a, 600, "r1");
        assertThat(storeReads).as("the mirror read from the store once").hasValue(1);
        assertThat(refusal(b, 401, "r2")).contains("insufficient balance: " + Usd.format(400) + " USD available");
        take(b, 400, "r3");
        assertThat(storeReads).hasValue(1);
        assertThat(heldRequests()).containsExactlyInAnyOrder("r1", "r3");
    }

    @Test
    void aCommitReplacesItsHoldByTheNewBalanceAndAnOlderCommitArrivingLateChangesNothing() throws Exception {
        take(a, 600, "r1");
        take(b, 300, "r2");
        // B's charge of 250 for r2 is written first (version 2), A's of 600 for r1 next (version 3)...
        Map<Long, Balance> afterB = Map.of(USER, new Balance(750, 2));
        Map<Long, Balance> afterA = Map.of(USER, new Balance(150, 3));
        // ...but A's commit reaches Redis first: its balance and the end of its hold, together
        a.released(List.of("r1"), afterA);
        awaitRedis(() -> mirror().equals(List.of("150", "3")) && heldRequests().equals(List.of("r2")));
        b.released(List.of("r2"), afterB);
        awaitRedis(() -> heldRequests().isEmpty());
        assertThat(mirror()).as("the older commit changed nothing").containsExactly("150", "3");
        assertThat(refusal(b, 151, "r3")).contains(Usd.format(150) + " USD available");
        take(a, 150, "r4");
        assertThat(storeReads).hasValue(1);
    }

    @Test
    void theHoldsOfAnInstanceThatDiedRunOutAndTheBalanceIsReadFromTheStoreAgain() {
        take(a, 900, "r1");
        a.stop(); // dies: r1 is never renewed; its charge was written to the store, not to Redis
        stored.set(new Balance(200, 2));
        assertThat(refusal(b, 200, "r2")).contains(Usd.format(100) + " USD available");
        clock.advance(Duration.ofMillis(LEASE_MS - 1));
        assertThat(refusal(b, 200, "r3")).contains(Usd.format(100) + " USD available");
        clock.advance(Duration.ofMillis(2));
        take(b, 200, "r4");
        assertThat(storeReads).as("read again once the hold ran out").hasValue(2);
        assertThat(refusal(b, 1, "r5")).contains(Usd.format(0) + " USD available");
    }

    @Test
    void aRedisThatLostItsDataIsNoticed() {
        take(a, 100, "r1");
        TestRedis.deleteShared(prefix);
        assertThat(failure(a, 100, "r2")).isInstanceOf(RedisHolds.Unavailable.class);
        assertThat(a.lostData()).isTrue();
        b.beginAdmitting(); // a new generation: the mirror is read from the store again
        assertThat(b.lostData()).isFalse();
        take(b, 100, "r3");
        assertThat(storeReads).hasValue(2);
    }

    private void take(RedisHolds instance, long amount, String requestId) {
        instance.take(hold(amount), requestId, blocking, this::read).join();
    }

    private Hold hold(long amount) {
        return book.hold(user, key, amount);
    }

    private Balance read(long userId) {
        assertThat(userId).isEqualTo(USER);
        storeReads.incrementAndGet();
        return stored.get();
    }

    private String refusal(RedisHolds instance, long amount, String requestId) {
        Throwable failure = failure(instance, amount, requestId);
        assertThat(failure).isInstanceOf(GatewayException.class);
        return failure.getMessage();
    }

    private Throwable failure(RedisHolds instance, long amount, String requestId) {
        try {
            instance.take(hold(amount), requestId, blocking, this::read).join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("admitted: " + requestId);
    }

    private List<String> mirror() {
        return TestRedis.asList(TestRedis.command(SHARED_PORT, "HMGET", prefix + "hb:u:" + USER, "b", "v"));
    }

    private List<String> heldRequests() {
        return TestRedis.asList(TestRedis.command(SHARED_PORT, "HKEYS", prefix + "hb:u:" + USER + ":h"));
    }

    /** A commit reaches Redis in the background: waits until {@code condition} holds. */
    private static void awaitRedis(BooleanSupplier condition) {
        TestLinks.await(condition, "redis reached the expected state", 5);
    }
}
