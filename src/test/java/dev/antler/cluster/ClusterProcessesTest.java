package dev.antler.cluster;

import static dev.antler.testing.ClusterChecks.assertLedgerInvariant;
import static dev.antler.testing.ClusterChecks.assertSpentWithinOneHold;
import static dev.antler.testing.ClusterChecks.balance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.DatabaseConfig;
import dev.antler.json.Json;
import dev.antler.store.Database;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayProcess;
import dev.antler.testing.GatewayProcesses;
import dev.antler.testing.SuiteSecrets;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Three gateway processes on one PostgreSQL database (and the overspend run once on MariaDB), with no other
 * shared service: balances, channel state and prices agree across them. Skipped, saying why, when the database
 * server is not reachable.
 */
class ClusterProcessesTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final String ADMIN_KEY = "sk-admin-cluster-test-0123456789";
    private static final String HAMMER_KEY = "sk-cluster-hammer-0123456789";
    private static final String STALE_KEY = "sk-cluster-stale-0123456789";
    private static final String RICH_KEY = "sk-cluster-rich-0123456789";
    private static final int MAX_TOKENS = 50;
    /** Input and output prices of the hammered model, USD per million tokens. */
    private static final int INPUT_PER_MTOK = 1000;
    private static final int OUTPUT_PER_MTOK = 2000;
    /**
     * More than any one request's hold here: the prompt bounded by its bytes (at most one token per byte of the
     * body) and the 50 output tokens it asks for.
     */
    private static final long ONE_HOLD_BOUND_NANOS = (long) InstanceCalls.chatBody("gpt-4o-mini").length() * INPUT_PER_MTOK * 1000
            + (long) MAX_TOKENS * OUTPUT_PER_MTOK * 1000;

    private static FakeOpenAi main;
    private static FakeOpenAi backup;
    private static GatewayProcesses gateways;
    private static Database store;
    private static Path dir;

    private final InstanceCalls calls = new InstanceCalls(ADMIN_KEY);

    @BeforeAll
    static void startThreeInstances() throws IOException {
        DatabaseConfig database = databases.create(Engine.POSTGRESQL);
        main = FakeOpenAi.start();
        backup = FakeOpenAi.start();
        // Each answer costs almost its whole hold: an instance admitting against a stale balance overspends at once.
        main.always(FakeReply.ok().usage(10, MAX_TOKENS, 0).delay(20));
        backup.always(FakeReply.ok().usage(10, MAX_TOKENS, 0).delay(20));
        dir = Files.createTempDirectory("antler-cluster-test-");
        gateways = GatewayProcesses.start("cluster-pg", 3, database, ADMIN_KEY, settings(main, backup), dir);
        store = Database.open(database);
    }

    @AfterAll
    static void stop() {
        if (gateways != null) {
            gateways.close();
        }
        if (store != null) {
            store.close();
        }
        if (main != null) {
            main.close();
            backup.close();
        }
    }

    @Test
    void aOneDollarUserHammeredThroughThreeInstancesNeverOverspendsBeyondOneHold() throws Exception {
        hammer(gateways, store, HAMMER_KEY, "hammer");
    }

    @Test
    void theOverspendRunHoldsOnMariaDbToo() throws Exception {
        DatabaseConfig database = databases.create(Engine.MARIADB);
        Path own = Files.createTempDirectory("antler-cluster-mariadb-");
        try (GatewayProcesses three = GatewayProcesses.start("cluster-mariadb", 3, database, ADMIN_KEY,
                settings(main, backup), own);
             Database mariadb = Database.open(database)) {
            hammer(three, mariadb, HAMMER_KEY, "hammer");
        }
    }

    /**
     * The reproduction from the field: instance A reads a user's balance, instance B spends all of it and goes
     * idle; A must not admit a single request more, and A's own balance answer shows what B left.
     */
    @Test
    void anInstanceNeverAdmitsAgainstABalanceAnotherInstanceSpent() throws Exception {
        GatewayProcess a = gateways.get(0);
        GatewayProcess b = gateways.get(1);
        assertThat(chat(a, STALE_KEY, "gpt-4o-mini").statusCode()).isEqualTo(200);
        int servedByB = 0;
        while (chat(b, STALE_KEY, "gpt-4o-mini").statusCode() == 200) {
            servedByB++;
            assertThat(servedByB).as("B stops once the balance is spent").isLessThan(100);
        }
        assertThat(servedByB).isGreaterThan(3);
        Thread.sleep(1_500); // B idle, its charges written

        int admittedByA = 0;
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> answer = chat(a, STALE_KEY, "gpt-4o-mini");
            if (answer.statusCode() == 200) {
                admittedByA++;
            } else {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            }
        }
        assertThat(admittedByA).as("requests A admitted against the balance B spent").isZero();

        long stored = balance(store, "stale");
        JsonNode quota = Json.MAPPER.readTree(calls.get(a, "/user/quota?key=" + STALE_KEY).body());
        assertThat(new BigDecimal(quota.path("total_quota").asText()).movePointRight(9).longValueExact())
                .as("A's /user/quota: the balance B left").isEqualTo(stored);
        assertThat(stored).isGreaterThanOrEqualTo(-ONE_HOLD_BOUND_NANOS);
        assertLedgerInvariant(store);
    }

    @Test
    void aChannelDisabledThroughOneInstanceIsSkippedByTheOthersWithinSeconds() throws Exception {
        GatewayProcess a = gateways.get(0);
        List<GatewayProcess> others = List.of(gateways.get(1), gateways.get(2));
        calls.msUntilOthersFollow(others, main, true, RICH_KEY, "gpt-4.1-nano", 10_000); // the primary serves
        calls.setChannelEnabled(a, "nano-primary", false);
        // cluster.poll_ms is 1 s; the rest is the store read and the request, on a shared, often busy, machine
        long skippedAfterMs = calls.msUntilOthersFollow(others, main, false, RICH_KEY, "gpt-4.1-nano", 3_000);
        System.out.printf("channel disabled on A: skipped by B and C after %d ms%n", skippedAfterMs);
        calls.setChannelEnabled(a, "nano-primary", true);
    }

    @Test
    void aPriceEditedOnOneInstanceAppliesOnTheOthers() throws Exception {
        GatewayProcess a = gateways.get(0);
        GatewayProcess b = gateways.get(1);
        HttpResponse<String> put = calls.admin(a, "PUT", "/api/admin/prices/gpt-4o",
                "{\"input_per_mtok\":\"100\",\"output_per_mtok\":\"200\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        long editedAt = System.nanoTime();
        // 10 prompt and 50 output tokens: at the new price 0.001 + 0.01 USD, at the config's 1 and 2 USD per Mtok far less.
        long newCost = 10 * 100_000L + 50 * 200_000L;
        List<String> requestIds = new ArrayList<>();
        List<Long> sentAfterMs = new ArrayList<>();
        while (System.nanoTime() - editedAt < TimeUnit.SECONDS.toNanos(4)) {
            HttpResponse<String> answer = chat(b, RICH_KEY, "gpt-4o");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            requestIds.add(answer.headers().firstValue("X-Request-Id").orElseThrow());
            sentAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - editedAt));
            Thread.sleep(100);
        }
        Map<String, Long> costs = awaitCosts(store, requestIds);
        int firstNew = -1;
        for (int i = 0; i < requestIds.size(); i++) {
            boolean atNewPrice = costs.get(requestIds.get(i)) == newCost;
            if (atNewPrice && firstNew < 0) {
                firstNew = i;
            }
            if (firstNew >= 0) {
                assertThat(atNewPrice).as("request %d on B after the new price applied", i).isTrue();
            }
        }
        assertThat(firstNew).as("B charged the price edited on A").isGreaterThanOrEqualTo(0);
        System.out.printf("price edited on A: charged by B after %d ms%n", sentAfterMs.get(firstNew));
        assertThat(sentAfterMs.get(firstNew)).isLessThanOrEqualTo(3_000L);
    }

    /**
     * Six clients per instance spend a $1 user through all instances at once until every one of them is refused:
     * the balance ends no lower than one request's hold below zero, and every user's balance is the sum of their
     * ledger rows, to the nano-dollar.
     */
    private void hammer(GatewayProcesses group, Database database, String key, String user) throws Exception {
        Map<Integer, Integer> statuses = calls.hammer(group.all(), key, 60, () -> {});
        assertThat(statuses).as("no connection cut").doesNotContainKey(-1);
        long balance = assertSpentWithinOneHold(database, user, ONE_HOLD_BOUND_NANOS, statuses);
        System.out.printf("$1 user through %d instances: %s, final balance %d nanos (bound -%d)%n", group.size(),
                statuses, balance, ONE_HOLD_BOUND_NANOS);
        assertThat(statuses.get(200)).as("answers served: %s", statuses).isGreaterThan(3);
    }

    private HttpResponse<String> chat(GatewayProcess instance, String key, String model) {
        return calls.chat(instance, key, model);
    }

    private static Map<String, Long> awaitCosts(Database database, List<String> requestIds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Map<String, Long> costs = new ConcurrentHashMap<>();
            database.jdbi().useHandle(h -> h.createQuery("SELECT request_id, cost_nanos FROM usage_logs")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> costs.put(e.getKey(),
                            e.getValue())));
            if (costs.keySet().containsAll(requestIds)) {
                return costs;
            }
            assertThat(System.nanoTime()).as("usage rows written within 10 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String settings(FakeOpenAi main, FakeOpenAi backup) {
        for (String key : List.of(HAMMER_KEY, STALE_KEY, RICH_KEY, "sk-upstream-cluster-0001")) {
            SuiteSecrets.record(key);
        }
        return """
                billing: { flush_interval_ms: 20 }
                security: { allow_private_base_urls: true }
                health: { test_interval_seconds: 0 }
                cluster: { heartbeat_ms: 250, instance_timeout_ms: 5000 }
                prices:
                  gpt-4o-mini: { input_per_mtok: %d, output_per_mtok: %d }
                  gpt-4.1-nano: { input_per_mtok: 1, output_per_mtok: 2 }
                  gpt-4o: { input_per_mtok: 1, output_per_mtok: 2 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-cluster-0001, models: [gpt-4o-mini, gpt-4o] }
                  - { name: nano-primary, base_url: "%s", key: sk-upstream-cluster-0001, models: [gpt-4.1-nano], priority: 10 }
                  - { name: nano-backup, base_url: "%s", key: sk-upstream-cluster-0001, models: [gpt-4.1-nano], priority: 0 }
                users:
                  - { name: hammer, balance: 1, keys: [{ key: %s }] }
                  - { name: stale, balance: 1, keys: [{ key: %s }] }
                  - { name: rich, balance: 1000, keys: [{ key: %s }] }
                """.formatted(INPUT_PER_MTOK, OUTPUT_PER_MTOK, main.baseUrl(), main.baseUrl(), backup.baseUrl(),
                HAMMER_KEY, STALE_KEY, RICH_KEY);
    }
}
