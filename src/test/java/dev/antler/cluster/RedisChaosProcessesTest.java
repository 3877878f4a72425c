package dev.antler.cluster;

import static dev.antler.testing.ClusterChecks.assertLedgerInvariant;
import static dev.antler.testing.ClusterChecks.awaitHolds;
import static dev.antler.testing.ClusterChecks.awaitNoStoredHolds;
import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import dev.antler.testing.FaultyUpstream;
import dev.antler.testing.FaultyUpstream.Fault;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.GatewayProcesses;
import dev.antler.testing.SuiteSecrets;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestRedis;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    @Test
    void everyUserReconcilesAfterChaosAcrossThreeInstances() throws Exception {
        String redisUrl = TestRedis.sharedUrl();
        String prefix = TestRedis.uniquePrefix();
        DatabaseConfig database = databases.create(Engine.POSTGRESQL);
        Map<Fault, Integer> weights = new EnumMap<>(Fault.class);
        weights.put(Fault.OK, 60);
        weights.put(Fault.SERVER_ERROR, 8);
        weights.put(Fault.UNAVAILABLE, 6);
        weights.put(Fault.RATE_LIMIT_RETRY_AFTER, 6);
        weights.put(Fault.RESET_MID_STREAM, 5);
        weights.put(Fault.TRUNCATED_SSE, 5);
        weights.put(Fault.STALL_MID_STREAM, 2);
        weights.put(Fault.GARBAGE_JSON, 4);
        weights.put(Fault.WRONG_CONTENT_TYPE, 4);
        List<FaultyUpstream> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            upstreams.add(FaultyUpstream.start().randomly(2000 + i, weights));
        }
        Map<String, Long> openings = new TreeMap<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        try (GatewayProcesses three = GatewayProcesses.start("redis-chaos", 3, database, ADMIN_KEY,
                settings(redisUrl, prefix, upstreams, openings), Files.createTempDirectory("antler-redis-chaos-"));
             Database store = Database.open(database);
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            awaitHolds(three, "redis", 20);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            SplittableRandom seeds = new SplittableRandom(7);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                Random random = new Random(seeds.nextLong());
                GatewayProcess instance = three.get(i % 3);
                done.add(clients.submit(() -> outcomes.computeIfAbsent(oneRequest(instance, http, random, answered),
                        k -> new AtomicInteger()).incrementAndGet()));
            }
            for (Future<?> f : done) {
                f.get();
            }
            awaitNoStoredHolds(store);
            Thread.sleep(1_000); // answers cut by a client settle just after the client has gone

            long charged = 0;
            for (Map.Entry<String, Long> user : openings.entrySet()) {
                long[] row = store.jdbi().withHandle(h -> h.createQuery("""
                                SELECT u.balance_nanos,
                                  (SELECT COALESCE(SUM(l.cost_nanos), 0) FROM usage_logs l WHERE l.user_id = u.id),
                                  (SELECT COALESCE(SUM(g.amount_nanos), 0) FROM ledger g WHERE g.user_id = u.id)
                                FROM users u WHERE u.name = :n""").bind("n", user.getKey())
                        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
                assertThat(row[0]).as(user.getKey() + ": balance == opening - usage cost")
                        .isEqualTo(user.getValue() - row[1]);
                assertThat(row[2]).as(user.getKey() + ": balance == sum of ledger rows").isEqualTo(row[0]);
                assertThat(row[0]).as(user.getKey() + ": never below one request's hold under zero")
                        .isGreaterThanOrEqualTo(-ONE_HOLD_BOUND_NANOS);
                charged += row[1];
            }
            assertLedgerInvariant(store);
            long keyUsed = store.jdbi().withHandle(h -> h.createQuery("SELECT k.used_nanos FROM api_keys k JOIN users "
                    + "u ON u.id = k.user_id WHERE u.name = 'rchaos2'").mapTo(Long.class).one());
            assertThat(keyUsed).as("the limited key's spend").isPositive()
                    .isLessThanOrEqualTo(KEY_LIMIT + ONE_HOLD_BOUND_NANOS);
            List<String> logged = store.jdbi().withHandle(h -> h.createQuery("SELECT request_id FROM usage_logs")
                    .mapTo(String.class).list());
            assertThat(logged).as("one usage row per request").doesNotHaveDuplicates().containsAll(answered);
            int failures = upstreams.stream().mapToInt(u -> u.requests() - u.served(Fault.OK)).sum();
            System.out.printf("chaos across 3 instances, holds in Redis: %d requests, outcomes %s, %d upstream "
                            + "failures injected, %s USD charged over %d users, reconciled to the nano-dollar%n",
                    REQUESTS, new TreeMap<>(outcomes), failures, BigDecimal.valueOf(charged, 9).toPlainString(), USERS);
            assertThat(failures).as("faults injected").isGreaterThan(50);
            assertThat(charged).isPositive();
            assertThat(outcomes.getOrDefault("200", new AtomicInteger()).get()).isGreaterThan(REQUESTS / 10);
        } finally {
            upstreams.forEach(FaultyUpstream::close);
            TestRedis.deleteShared(prefix);
        }
    }

    /** One random request to {@code instance}; returns its outcome (the status, or how the client ended it). */
    private static String oneRequest(GatewayProcess instance, HttpClient http, Random random, Set<String> answered) {
        String user = "rchaos" + random.nextInt(USERS);
        int kind = random.nextInt(100);
        String path = kind < 20 ? "/v1/embeddings" : "/v1/chat/completions";
        String body = kind < 20
                ? "{\"model\":\"text-embedding-3-small\",\"input\":\"The food was delicious " + kind + "\"}"
                : kind < 55
                ? "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                : "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"stream\":true,\"stream_options\":"
                        + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
        // one client in twenty gives up after 150 ms, cutting its connection mid-answer
        Duration patience = random.nextInt(100) < 5 ? Duration.ofMillis(150) : Duration.ofSeconds(30);
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                            .timeout(patience)
                            .header("Authorization", "Bearer " + key(user))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                answered.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
            }
            return Integer.toString(answer.statusCode());
        } catch (java.io.IOException e) {
            return "cut";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String settings(String redisUrl, String prefix, List<FaultyUpstream> upstreams,
                                   Map<String, Long> openings) {
        StringBuilder yaml = new StringBuilder("""
                billing: { flush_interval_ms: 20 }
                security: { allow_private_base_urls: true }
                health: { test_interval_seconds: 0, breaker_failures: 30, breaker_window_ms: 250, breaker_open_ms: 100, max_retry_after_ms: 100 }
                cluster: { heartbeat_ms: 250, instance_timeout_ms: 5000 }
                redis: { url: "%s", key_prefix: "%s", lease_ms: 3000, retry_ms: 200 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  text-embedding-3-small: { input_per_mtok: 0.02 }
                channels:
                """.formatted(redisUrl, prefix));
        for (int i = 0; i < upstreams.size(); i++) {
            SuiteSecrets.record("sk-rchaos-%d-0001".formatted(i));
            yaml.append("  - { name: rchaos-%d, base_url: \"%s\", key: sk-rchaos-%d-0001, priority: %d, "
                    .formatted(i, upstreams.get(i).baseUrl(), i, i == 2 ? 0 : 10))
                    .append("idle_timeout_ms: 300, total_timeout_ms: 5000 }\n");
        }
        yaml.append("users:\n");
        for (int u = 0; u < USERS; u++) {
            String name = "rchaos" + u;
            long opening = u < 2 ? SMALL_OPENING : OPENING;
            openings.put(name, opening);
            yaml.append("  - { name: %s, balance: %s, keys: [{ key: %s%s }] }\n".formatted(name,
                    BigDecimal.valueOf(opening, 9).toPlainString(), key(name), u == 2
                            ? ", spend_limit: " + BigDecimal.valueOf(KEY_LIMIT, 9).toPlainString() : ""));
        }
        return yaml.toString();
    }
}
