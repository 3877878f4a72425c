package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.DatabaseConfig;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.GatewayProcesses;
import dev.antler.testing.SuiteSecrets;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestRedis;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Three gateway processes on one PostgreSQL database (once on MariaDB) sharing a Redis: limits count once for
 * all of them, change notices (a channel's breaker opening on one instance among them) arrive over pub/sub within a
 * second; and with a Redis this test starts and kills
 * itself, the instances fall back to their own limits and the store's change table, show it, and return to
 * shared mode by themselves when Redis is back. Skipped, saying why, without the database server or Redis.
 *
 * <p>Tolerance of a shared limit: exact while Redis answers within {@code redis.timeout_ms}; an admission it does
 * not answer in time is made on the instance's own count, so at most that many more are admitted (each counted
 * in {@code antler_redis_local_admissions_total}, which the assertions allow for).
 */
class RedisProcessesTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final String ADMIN_KEY = "sk-admin-redis-procs-0123456789";
    private static final String RICH_KEY = "sk-redis-procs-rich-0123456789";
    /** Keys of 60 requests per minute, each used by one test only (the counts live in Redis for a minute). */
    private static final List<String> SIXTY_KEYS = keys("sixty", 2);
    /** Keys of 10 requests per minute for the outage run: before, during and after it. */
    private static final List<String> TEN_KEYS = keys("ten", 3);
    private static final String NANO = "gpt-4.1-nano";
    /** Served first by a channel whose upstream always fails (its breaker opens at the third failure), then a backup. */
    private static final String MINI = "gpt-4.1-mini";
    private static final String FLAKY_CHANNEL = "mini-flaky";

    private static final InstanceCalls calls = new InstanceCalls(ADMIN_KEY);
    private static final List<String> prefixes = new ArrayList<>();
    private static FakeOpenAi main;
    private static FakeOpenAi backup;
    private static FakeOpenAi flaky;
    private static GatewayProcesses gateways;

    @BeforeAll
    static void startThreeInstances() throws Exception {
        String redisUrl = TestRedis.sharedUrl();
        DatabaseConfig database = databases.create(Engine.POSTGRESQL);
        main = FakeOpenAi.start();
        backup = FakeOpenAi.start();
        flaky = FakeOpenAi.start();
        main.always(FakeReply.ok().usage(10, 20, 0));
        backup.always(FakeReply.ok().usage(10, 20, 0));
        flaky.always(FakeReply.status(500));
        gateways = GatewayProcesses.start("redis-pg", 3, database, ADMIN_KEY, settings(redisUrl, newPrefix()),
                Files.createTempDirectory("antler-redis-procs-"));
        calls.awaitRedisHealth(gateways.all(), RedisProcessesTest::shared, "notices over pub/sub", 30);
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
        if (main != null) {
            main.close();
            backup.close();
            flaky.close();
        }
        prefixes.forEach(TestRedis::deleteShared);
    }

    @Test
    void anRpmLimitOfSixtyAdmitsSixtyAcrossThreeInstances() throws Exception {
        assertAdmittedAcrossAll(gateways, SIXTY_KEYS.get(0), 60, 10);
    }

    @Test
    void aChannelDisabledThroughOneInstanceIsSkippedByTheOthersWithinASecond() throws Exception {
        assertChannelSwitchReachesTheOthersOverPubSub(gateways);
    }

    @Test
    void aChannelsBreakerOpenedOnOneInstanceIsKeptByTheOthersWithinASecond() throws Exception {
        assertBreakerOpeningReachesTheOthers(gateways, 1_000);
    }

    @Test
    void limitsAndNoticesAreSharedOnMariaDbToo() throws Exception {
        DatabaseConfig database = databases.create(Engine.MARIADB);
        try (GatewayProcesses three = GatewayProcesses.start("redis-mariadb", 3, database, ADMIN_KEY,
                settings(TestRedis.sharedUrl(), newPrefix()), Files.createTempDirectory("antler-redis-mariadb-"))) {
            calls.awaitRedisHealth(three.all(), RedisProcessesTest::shared, "notices over pub/sub", 30);
            assertAdmittedAcrossAll(three, SIXTY_KEYS.get(1), 60, 10);
            assertChannelSwitchReachesTheOthersOverPubSub(three);
        }
    }

    @Test
    void redisKilledMidRunCostsSharingOnlyUntilItIsBack() throws Exception {
        DatabaseConfig database = databases.create(Engine.POSTGRESQL);
        try (TestRedis own = TestRedis.own();
             GatewayProcesses three = GatewayProcesses.start("redis-outage", 3, database, ADMIN_KEY,
                     settings(own.url(), "antler:"), Files.createTempDirectory("antler-redis-outage-"))) {
            List<GatewayProcess> all = three.all();
            calls.awaitRedisHealth(all, RedisProcessesTest::shared, "notices over pub/sub", 30);
            assertAdmittedAcrossAll(three, TEN_KEYS.get(0), 10, 3);

            own.kill();
            // Each instance on its own count: 10 of its own 10, then refused by itself.
            Map<Integer, Integer> apart = sendRoundRobin(three, TEN_KEYS.get(1), 30);
            assertThat(apart).as("while Redis is down: each instance admits its own 10").isEqualTo(Map.of(200, 30));
            for (GatewayProcess instance : all) {
                assertThat(calls.chat(instance, TEN_KEYS.get(1), "gpt-4o-mini").statusCode()).isEqualTo(429);
            }
            calls.awaitRedisHealth(all, h -> h.path("status").asText().equals("down")
                    && h.path("limits").asText().equals("local") && h.path("notices").asText().equals("store")
                    && h.has("problem"), "Redis shown down", 10);
            for (GatewayProcess instance : all) {
                assertThat(calls.metric(instance, "antler_redis_up")).isZero();
                assertThat(calls.metric(instance, "antler_redis_notices_subscribed")).isZero();
            }
            // Notices still arrive, through the store's change table (cluster.poll_ms is 1 s).
            List<GatewayProcess> others = all.subList(1, 3);
            calls.msUntilOthersFollow(others, main, true, RICH_KEY, NANO, 10_000);
            calls.setChannelEnabled(all.get(0), "nano-primary", false);
            long viaStoreMs = calls.msUntilOthersFollow(others, main, false, RICH_KEY, NANO, 3_000);
            calls.setChannelEnabled(all.get(0), "nano-primary", true);
            calls.msUntilOthersFollow(others, main, true, RICH_KEY, NANO, 3_000);
            long breakerViaStoreMs = assertBreakerOpeningReachesTheOthers(three, 3_000);

            own.start();
            calls.awaitRedisHealth(all, RedisProcessesTest::shared, "shared again by itself", 30);
            for (GatewayProcess instance : all) {
                assertThat(calls.metric(instance, "antler_redis_up")).isEqualTo(1);
                assertThat(calls.metric(instance, "antler_redis_notices_subscribed")).isEqualTo(1);
            }
            assertAdmittedAcrossAll(three, TEN_KEYS.get(2), 10, 3);
            long viaPubSubMs = assertChannelSwitchReachesTheOthersOverPubSub(three);
            System.out.printf("Redis down: a channel switch reached the others after %d ms (store), a breaker opening "
                    + "after %d ms; back: %d ms (pub/sub)%n", viaStoreMs, breakerViaStoreMs, viaPubSubMs);
        }
    }

    /**
     * {@code perClient} requests on {@code key} (limit {@code rpm}) from each of three clients on every instance at
     * once, well within a minute: {@code rpm} are admitted across all (plus those Redis did not answer in time,
     * admitted on an instance's own count), the rest refused with 429. Counted alone, each instance would admit
     * up to {@code rpm} of its own. An admitted request may still be refused with 503 when its balance hold cannot
     * be recorded (store deadlocks under this contention on MariaDB): it counts as admitted by the limits.
     */
    private static void assertAdmittedAcrossAll(GatewayProcesses group, String key, int rpm, int perClient)
            throws Exception {
        int total = perClient * 3 * group.size();
        assertThat(total).as("requests sent").isGreaterThan(rpm);
        long localBefore = localAdmissions(group);
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(3 * group.size());
        Map<Integer, Map<Integer, Integer>> byInstance = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            GatewayProcess instance = group.get(i);
            Map<Integer, Integer> statuses = byInstance.computeIfAbsent(i, n -> new ConcurrentHashMap<>());
            for (int c = 0; c < 3; c++) {
                running.add(clients.submit(() -> {
                    for (int r = 0; r < perClient; r++) {
                        HttpResponse<String> answer = calls.chat(instance, key, "gpt-4o-mini");
                        if (answer.statusCode() == 429) {
                            assertThat(answer.body()).contains("requests per minute: " + rpm + " reached on this key");
                        } else if (answer.statusCode() == 503) {
                            // admitted by the limits, then its balance hold not recorded (a store deadlock, MariaDB)
                            assertThat(answer.body()).contains("store_unavailable");
                        }
                        statuses.merge(answer.statusCode(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
        }
        for (Future<?> client : running) {
            client.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long late = localAdmissions(group) - localBefore;
        int admitted = byInstance.values().stream().mapToInt(s -> s.getOrDefault(200, 0) + s.getOrDefault(503, 0))
                .sum();
        int refused = byInstance.values().stream().mapToInt(s -> s.getOrDefault(429, 0)).sum();
        System.out.printf("rpm %d across %d instances: %s in %d ms (%d admitted on an instance's own count)%n", rpm,
                group.size(), byInstance, tookMs, late);
        assertThat(tookMs).as("the run fits in one minute's window").isLessThan(50_000);
        assertThat(admitted + refused).as("only 200, 429 and 503: %s", byInstance).isEqualTo(total);
        assertThat(admitted).as("admitted by the limits across all: %s", byInstance).isBetween(rpm, rpm + (int) late);
    }

    private static Map<Integer, Integer> sendRoundRobin(GatewayProcesses group, String key, int count) {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        for (int i = 0; i < count; i++) {
            statuses.merge(calls.chat(group.get(i % group.size()), key, "gpt-4o-mini").statusCode(), 1, Integer::sum);
        }
        return statuses;
    }

    /** Disables the primary channel through the first instance: the others skip it within a second, told over pub/sub. */
    private static long assertChannelSwitchReachesTheOthersOverPubSub(GatewayProcesses group) throws Exception {
        GatewayProcess a = group.get(0);
        List<GatewayProcess> others = group.all().subList(1, group.size());
        calls.msUntilOthersFollow(others, main, true, RICH_KEY, NANO, 10_000);
        List<Long> receivedBefore = others.stream()
                .map(o -> calls.metric(o, "antler_redis_notices_received_total")).toList();
        calls.setChannelEnabled(a, "nano-primary", false);
        long skippedAfterMs = calls.msUntilOthersFollow(others, main, false, RICH_KEY, NANO, 1_000);
        System.out.printf("channel disabled on A: skipped by the others after %d ms%n", skippedAfterMs);
        for (int i = 0; i < others.size(); i++) {
            assertThat(calls.metric(others.get(i), "antler_redis_notices_received_total"))
                    .as("notices received over pub/sub by instance %d", i + 1).isGreaterThan(receivedBefore.get(i));
        }
        calls.setChannelEnabled(a, "nano-primary", true);
        calls.msUntilOthersFollow(others, main, true, RICH_KEY, NANO, 1_000);
        return skippedAfterMs;
    }

    /**
     * Fails {@link #FLAKY_CHANNEL} through the first instance until its breaker opens (each request answered by the
     * backup): within {@code withinMs} the others show their breaker of it open too, opened elsewhere, in the admin
     * API and the metrics, and send it nothing, failing over to the backup at once.
     */
    private static long assertBreakerOpeningReachesTheOthers(GatewayProcesses group, long withinMs) throws Exception {
        GatewayProcess a = group.get(0);
        List<GatewayProcess> others = group.all().subList(1, group.size());
        for (GatewayProcess other : others) {
            assertThat(calls.channel(other, FLAKY_CHANNEL).path("health").path("breaker").asText()).isEqualTo("closed");
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = calls.chat(a, RICH_KEY, MINI);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        assertThat(calls.channel(a, FLAKY_CHANNEL).path("health").path("breaker").asText()).isEqualTo("open");
        long since = System.nanoTime();
        long shownMs = 0;
        for (GatewayProcess other : others) {
            JsonNode health = calls.channel(other, FLAKY_CHANNEL).path("health");
            while (!health.path("breaker").asText().equals("open")) {
                assertThat(System.nanoTime() - since).as("breaker shown open on %s: %s", other.baseUrl(), health)
                        .isLessThan(TimeUnit.MILLISECONDS.toNanos(withinMs + 5_000));
                Thread.sleep(20);
                health = calls.channel(other, FLAKY_CHANNEL).path("health");
            }
            shownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            assertThat(health.path("breaker_opened_elsewhere").asBoolean()).as(health.toString()).isTrue();
            assertThat(calls.metric(other, "antler_channel_breaker_state{channel=\"" + FLAKY_CHANNEL
                    + "\",type=\"openai\",state=\"open\"}")).isEqualTo(1);
        }
        System.out.printf("breaker opened on A: shown open by the others after %d ms%n", shownMs);
        assertThat(shownMs).as("ms until the others showed the breaker open").isLessThanOrEqualTo(withinMs);
        int sentBefore = flaky.requests().size();
        for (GatewayProcess other : others) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = calls.chat(other, RICH_KEY, MINI);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
        }
        assertThat(flaky.requests().size()).as("requests the others sent to the failing channel")
                .isEqualTo(sentBefore);
        return shownMs;
    }

    private static long localAdmissions(GatewayProcesses group) {
        return group.all().stream().mapToLong(i -> calls.metric(i, "antler_redis_local_admissions_total")).sum();
    }

    private static boolean shared(JsonNode redis) {
        return redis.path("status").asText().equals("up") && redis.path("notices").asText().equals("pubsub");
    }

    private static String newPrefix() {
        String prefix = TestRedis.uniquePrefix();
        prefixes.add(prefix);
        return prefix;
    }

    private static List<String> keys(String name, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("sk-redis-procs-" + name + i + "-0123456789");
        }
        return List.copyOf(keys);
    }

    private static String settings(String redisUrl, String prefix) {
        List<String> all = new ArrayList<>(List.of(ADMIN_KEY, RICH_KEY, "sk-upstream-redis-procs-0001"));
        all.addAll(SIXTY_KEYS);
        all.addAll(TEN_KEYS);
        all.forEach(SuiteSecrets::record);
        StringBuilder limited = new StringBuilder();
        SIXTY_KEYS.forEach(k -> limited.append("      - { key: ").append(k).append(", rpm_limit: 60 }\n"));
        TEN_KEYS.forEach(k -> limited.append("      - { key: ").append(k).append(", rpm_limit: 10 }\n"));
        return """
                billing: { flush_interval_ms: 20 }
                security: { allow_private_base_urls: true }
                health: { test_interval_seconds: 0, breaker_failures: 3, breaker_open_ms: 120000 }
                cluster: { heartbeat_ms: 250, instance_timeout_ms: 5000 }
                redis: { url: "%s", key_prefix: "%s", timeout_ms: 2000, retry_ms: 200 }
                prices:
                  gpt-4o-mini: { input_per_mtok: 1, output_per_mtok: 2 }
                  gpt-4.1-nano: { input_per_mtok: 1, output_per_mtok: 2 }
                  gpt-4.1-mini: { input_per_mtok: 1, output_per_mtok: 2 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-redis-procs-0001, models: [gpt-4o-mini] }
                  - { name: nano-primary, base_url: "%s", key: sk-upstream-redis-procs-0001, models: [gpt-4.1-nano], priority: 10 }
                  - { name: nano-backup, base_url: "%s", key: sk-upstream-redis-procs-0001, models: [gpt-4.1-nano], priority: 0 }
                  - { name: mini-flaky, base_url: "%s", key: sk-upstream-redis-procs-0001, models: [gpt-4.1-mini], priority: 10 }
                  - { name: mini-backup, base_url: "%s", key: sk-upstream-redis-procs-0001, models: [gpt-4.1-mini], priority: 0 }
                users:
                  - { name: rich, balance: 1000, keys: [{ key: %s }] }
                  - name: paced
                    balance: 1000
                    keys:
                %s""".formatted(redisUrl, prefix, main.baseUrl(), main.baseUrl(), backup.baseUrl(), flaky.baseUrl(),
                backup.baseUrl(), RICH_KEY, limited);
    }
}
