package dev.antler.cluster;

import static dev.antler.testing.ClusterChecks.assertLedgerInvariant;
import static dev.antler.testing.ClusterChecks.awaitHolds;
import static dev.antler.testing.ClusterChecks.awaitNoStoredHolds;
import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.testing.ChaosMix;
import dev.antler.testing.FaultyUpstream;
import dev.antler.testing.FaultyUpstream.Fault;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.GatewayProcesses;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestRedis;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chaos run (see health/ChaosTest) across three gateway processes on one PostgreSQL database with their
 * balance holds in Redis: mixed requests through all instances against upstreams that fail at random, clients
 * that give up. Afterwards, for every user, to the nano-dollar: balance == opening − Σ usage cost == Σ ledger rows,
 * and no balance below one request's hold under zero; a key with a spend limit (held in the store while its user's
 * holds are in Redis) spends no more than it. Skipped, saying why, without PostgreSQL or Redis.
 */
class RedisChaosProcessesTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final String ADMIN_KEY = "sk-admin-redis-chaos-0123456789";
    private static final int REQUESTS = 900;
    private static final int CLIENTS = 24;
    private static final int USERS = 12;
    private static final long OPENING = 5_000_000_000L;
    private static final long SMALL_OPENING = 300_000L;
    /** More than any request's hold here: a prompt of under 300 bytes and 50 output tokens at these prices. */
    private static final long ONE_HOLD_BOUND_NANOS = 100_000L;
    /** User 2's key has a spend limit: its part of each hold is kept in the store while the user's is in Redis. */
    private static final long KEY_LIMIT = 300_000L;

    private final InstanceCalls calls = new InstanceCalls(ADMIN_KEY);

    @Test
    void everyUserReconcilesAfterChaosAcrossThreeInstances() throws Exception {
        String redisUrl = TestRedis.sharedUrl();
        String prefix = TestRedis.uniquePrefix();
        DatabaseConfig database = databases.create(Engine.POSTGRESQL);
        List<FaultyUpstream> upstreams = ChaosMix.upstreams(2000, ChaosMix.faults(Map.of(Fault.OK, 60,
                Fault.STALL_MID_STREAM, 2, Fault.GARBAGE_JSON, 4)));
        Map<String, Long> openings = new TreeMap<>();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        try (GatewayProcesses three = GatewayProcesses.start("redis-chaos", 3, database, ADMIN_KEY,
                settings(redisUrl, prefix, upstreams, openings), Files.createTempDirectory("antler-redis-chaos-"));
             Database store = Database.open(database)) {
            awaitHolds(three, "redis", 20);
            Map<String, AtomicInteger> outcomes = ChaosMix.run(REQUESTS, CLIENTS, 7,
                    (i, random) -> oneRequest(three.get(i % 3), random, answered), () -> {});
            awaitNoStoredHolds(store);
            Thread.sleep(1_000); // answers cut by a client settle just after the client has gone

            ChaosMix.Reconciled reconciled = ChaosMix.reconcile(store.jdbi(), openings, -ONE_HOLD_BOUND_NANOS,
                    "one request's hold under zero", answered);
            assertLedgerInvariant(store);
            long keyUsed = store.jdbi().withHandle(h -> h.createQuery("SELECT k.used_nanos FROM api_keys k JOIN users "
                    + "u ON u.id = k.user_id WHERE u.name = 'rchaos2'").mapTo(Long.class).one());
            assertThat(keyUsed).as("the limited key's spend").isPositive()
                    .isLessThanOrEqualTo(KEY_LIMIT + ONE_HOLD_BOUND_NANOS);
            int failures = upstreams.stream().mapToInt(u -> u.requests() - u.served(Fault.OK)).sum();
            System.out.printf("chaos across 3 instances, holds in Redis: %d requests, outcomes %s, %d upstream "
                            + "failures injected, %s USD charged over %d users, reconciled to the nano-dollar%n",
                    REQUESTS, new TreeMap<>(outcomes), failures, reconciled.chargedUsd(), USERS);
            assertThat(failures).as("faults injected").isGreaterThan(50);
            assertThat(reconciled.chargedNanos()).isPositive();
            assertThat(outcomes.getOrDefault("200", new AtomicInteger()).get()).isGreaterThan(REQUESTS / 10);
        } finally {
            upstreams.forEach(FaultyUpstream::close);
            TestRedis.deleteShared(prefix);
        }
    }

    /** One random request to {@code instance}; returns its outcome (the status, or how the client ended it). */
    private String oneRequest(GatewayProcess instance, Random random, Set<String> answered) {
        ChaosMix.Request request = ChaosMix.request(random, "rchaos", USERS, false);
        // one client in twenty gives up after 150 ms, cutting its connection mid-answer
        Duration patience = random.nextInt(100) < 5 ? Duration.ofMillis(150) : Duration.ofSeconds(30);
        try {
            return ChaosMix.outcome(calls.post(instance, request.path(), key(request.user()), request.body(),
                    patience), answered);
        } catch (UncheckedIOException e) {
            return "cut";
        }
    }

    private static String settings(String redisUrl, String prefix, List<FaultyUpstream> upstreams,
                                   Map<String, Long> openings) {
        return """
                billing: { flush_interval_ms: 20 }
                security: { allow_private_base_urls: true }
                health: { test_interval_seconds: 0, breaker_failures: 30, breaker_window_ms: 250, breaker_open_ms: 50, max_retry_after_ms: 20 }
                cluster: { heartbeat_ms: 250, instance_timeout_ms: 5000 }
                redis: { url: "%s", key_prefix: "%s", lease_ms: 3000, retry_ms: 200 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  text-embedding-3-small: { input_per_mtok: 0.02 }
                """.formatted(redisUrl, prefix) + ChaosMix.channels("rchaos", upstreams)
                + ChaosMix.users("rchaos", USERS, OPENING, SMALL_OPENING, u -> u == 2
                        ? ", spend_limit: " + BigDecimal.valueOf(KEY_LIMIT, 9).toPlainString() : "", openings);
    }
}
