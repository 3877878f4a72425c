package dev.antler.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stored limits on every supported database, and what the limiter loads from them at start. */
class LimitStoreTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    @ParameterizedTest
    @EnumSource(Engine.class)
    void limitsAreReplacedWholeAndRemovedWhenEmpty(Engine engine) {
        Database database = databases.openFresh(engine);
        LimitStore store = new LimitStore(database, Clock.fixed(NOON, ZoneOffset.UTC));
        store.putKeyLimits(1, new KeyLimits(60, 100_000L, null));
        store.putKeyLimits(2, new KeyLimits(null, null, 3));
        store.putKeyLimits(1, new KeyLimits(30, null, null));
        store.putKeyLimits(3, KeyLimits.NONE);
        store.putDailyCap(7, 5_000_000_000L);
        store.putDailyCap(8, 1L);
        store.putDailyCap(8, null);

        assertThat(store.allKeyLimits()).isEqualTo(Map.of(1L, new KeyLimits(30, null, null),
                2L, new KeyLimits(null, null, 3)));
        assertThat(store.allDailyCaps()).isEqualTo(Map.of(7L, 5_000_000_000L));
    }

    /** Instances starting together on one store seed the same limits at once: every write lands, none fails. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void limitsWrittenAtOnceFromManyConnectionsNeverCollide(Engine engine) throws Exception {
        Database database = databases.openFresh(engine);
        LimitStore store = new LimitStore(database, Clock.fixed(NOON, ZoneOffset.UTC));
        store.putKeyLimits(4, new KeyLimits(1, null, null));
        store.putDailyCap(4, 1L);
        int writers = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(writers);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int rpm = 10 + w;
                done.add(threads.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        together.await(10, java.util.concurrent.TimeUnit.SECONDS); // a failed writer breaks it
                        store.putKeyLimits(4, new KeyLimits(rpm, null, null));
                        store.putDailyCap(4, (long) rpm);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS); // a collision would surface here
            }
        }
        assertThat(store.allKeyLimits().get(4L).rpm()).isBetween(10, 10 + writers - 1);
        assertThat(store.allDailyCaps().get(4L)).isBetween(10L, 10L + writers - 1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void todaysSpendIsReadFromTheUsageLogAtStart(Engine engine) {
        Database database = databases.openFresh(engine);
        MutableClock clock = new MutableClock(NOON);
        LimitStore store = new LimitStore(database, clock);
        usage(database, 7, NOON.minusSeconds(13 * 3600), 999);  // yesterday
        usage(database, 7, NOON.minusSeconds(3600), 300);
        usage(database, 7, NOON.minusSeconds(60), 200);
        usage(database, 9, NOON.minusSeconds(60), 50);
        store.putDailyCap(7, 600L);

        Limiter limiter = new Limiter(clock);
        limiter.load(store);
        assertThat(limiter.spentToday(7)).as("a capped user's spend is read at start").isEqualTo(500);
        assertThat(limiter.spentToday(9)).as("an uncapped user's is not: start does not sum the whole day").isZero();
        assertThat(limiter.dailyCap(7)).isEqualTo(600L);

        limiter.seedSpend(store, List.of(9L));   // when it matters: a cap set later, the admin view
        assertThat(limiter.spentToday(9)).isEqualTo(50);
        limiter.seedSpend(store, List.of(7L));   // again: counted once, never lowered
        assertThat(limiter.spentToday(7)).isEqualTo(500);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSeedFromYesterdayDoesNotCountToday(Engine engine) {
        Database database = databases.openFresh(engine);
        MutableClock clock = new MutableClock(NOON);
        LimitStore store = new LimitStore(database, clock);
        usage(database, 7, NOON.minusSeconds(60), 200);
        store.putDailyCap(7, 600L);
        Limiter limiter = new Limiter(clock);
        limiter.load(store);

        clock.advance(java.time.Duration.ofDays(1));
        assertThat(limiter.spentToday(7)).isZero();
    }

    private static void usage(Database database, long userId, Instant at, long cost) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO usage_logs (request_id, created_at, user_id, key_id, endpoint, model, status_code,
                        stream, prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, units, cost_nanos,
                        latency_ms, end_reason, billed_basis, attempts)
                        VALUES (:id, :at, :user, 1, 'chat', 'gpt-4o-mini', 200, 0, 1, 1, 0, 0, 0, :cost, 1,
                        'complete', 'reported', 1)""")
                .bind("id", "req-" + at.toEpochMilli()).bind("at", at.toEpochMilli()).bind("user", userId)
                .bind("cost", cost).execute());
    }
}
