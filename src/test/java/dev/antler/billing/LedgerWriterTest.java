package dev.antler.billing;

import dev.antler.testing.TestLedger;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LedgerWriterTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long NOW = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private static final long USD = 1_000_000_000L;
    private static final long OPENING = 100 * USD;
    private static final long KEY_LIMIT = 50 * USD;
    private static final int THREADS = 4;
    private static final int SETTLEMENTS_PER_THREAD = 60;
    private static final String USAGE_COLUMNS = "request_id, created_at, user_id, key_id, endpoint, model, "
            + "upstream_model, channel_id, status_code, stream, prompt_tokens, completion_tokens, cached_tokens, "
            + "cache_write_tokens, units, cost_nanos, latency_ms, first_byte_ms, end_reason, billed_basis, attempts, "
            + "error";

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writesConcurrentSettlementsAndCreditsSoThatBalancesEqualTheirLedgers(Engine engine) throws Exception {
        Database database = databases.open(engine);
        AccountStore accounts = new AccountStore(database, CLOCK);
        BalanceBook book = new BalanceBook();
        List<User> users = new ArrayList<>();
        List<List<ApiKey>> keys = new ArrayList<>();
        for (String name : List.of("ledger-ann", "ledger-ben", "ledger-cy")) {
            User user = accounts.createUser(name, "default", Status.ACTIVE);
            users.add(user);
            keys.add(List.of(
                    accounts.createKey(user.id(), "limited", ApiKeys.hash("sk-" + name + "-1"), "sk-…1", null,
                            KEY_LIMIT, List.of()),
                    accounts.createKey(user.id(), "open", ApiKeys.hash("sk-" + name + "-2"), "sk-…2", null, null,
                            List.of())));
        }
        Map<String, UsageRecord> settled = new ConcurrentHashMap<>();
        Map<Long, Long> credited = new ConcurrentHashMap<>();

        try (LedgerWriter writer = TestLedger.writer(database, book, CLOCK, 5, 16)) {
            for (User user : users) {
                assertThat(writer.credit(user.id(), OPENING, "topup", "opening-" + user.name(), "opening")
                        .get(30, TimeUnit.SECONDS)).isEqualTo(OPENING);
                credited.merge(user.id(), OPENING, Long::sum);
                User stored = accounts.findUser(user.id()).orElseThrow();
                assertThat(book.balance(stored)).isEqualTo(OPENING);
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<CompletableFuture<Void>> work = IntStream.range(0, THREADS)
                        .mapToObj(t -> CompletableFuture.runAsync(() -> {
                            for (int j = 0; j < SETTLEMENTS_PER_THREAD; j++) {
                                int u = (t + j) % users.size();
                                User user = users.get(u);
                                ApiKey key = keys.get(u).get(j % 2);
                                UsageRecord record = record(engine, t, j, user, key);
                                Hold hold = book.hold(user, key, record.costNanos() + 500);
                                assertThat(book.settle(hold, record.costNanos())).isTrue();
                                writer.settle(record);
                                settled.put(record.requestId(), record);
                                if (j % 20 == 7) {
                                    long amount = j % 40 == 7 ? 3_000L * (t + 1) : -1_000L;
                                    writer.credit(user.id(), amount, "topup", "t" + t + "-" + j, null);
                                    credited.merge(user.id(), amount, Long::sum);
                                }
                            }
                        }, pool))
                        .toList();
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            writer.flushed().get(30, TimeUnit.SECONDS);
            assertThat(writer.backlogSize()).isZero();
        }

        assertThat(settled).hasSize(THREADS * SETTLEMENTS_PER_THREAD);
        for (int u = 0; u < users.size(); u++) {
            long userId = users.get(u).id();
            List<UsageRecord> own = settled.values().stream().filter(r -> r.userId() == userId).toList();
            long charges = own.stream().mapToLong(UsageRecord::costNanos).sum();
            User stored = accounts.findUser(userId).orElseThrow();

            assertThat(stored.balanceNanos()).as("balance of %s", stored.name())
                    .isEqualTo(accounts.ledgerSum(userId))
                    .isEqualTo(credited.get(userId) - charges);
            assertThat(stored.usedNanos()).as("used of %s", stored.name()).isEqualTo(charges);
            // request_count counts requests charged: a usage row of cost 0 is logged, not counted.
            assertThat(stored.requestCount()).as("requests of %s", stored.name())
                    .isEqualTo(own.stream().filter(r -> r.costNanos() != 0).count());
            assertThat(book.balance(stored)).as("book balance of %s", stored.name()).isEqualTo(stored.balanceNanos());

            for (ApiKey key : keys.get(u)) {
                List<UsageRecord> onKey = own.stream().filter(r -> r.keyId() == key.id()).toList();
                ApiKey storedKey = accounts.findKey(key.id()).orElseThrow();
                assertThat(storedKey.usedNanos()).isEqualTo(onKey.stream().mapToLong(UsageRecord::costNanos).sum());
                assertThat(storedKey.requestCount()).isEqualTo(onKey.stream().filter(r -> r.costNanos() != 0).count());
                assertThat(storedKey.lastUsedAt()).isEqualTo(NOW);
                assertThat(book.keyRemaining(storedKey)).isEqualTo(
                        key.spendLimitNanos() == null ? null : KEY_LIMIT - storedKey.usedNanos());
            }

            assertThat(usageRows(database, userId)).as("usage rows of %s", stored.name())
                    .containsExactlyInAnyOrderElementsOf(own.stream().map(LedgerWriterTest::expectedRow).toList());
            assertThat(chargeRows(database, userId)).as("charge rows of %s", stored.name())
                    .containsExactlyInAnyOrderElementsOf(own.stream().filter(r -> r.costNanos() != 0)
                            .map(r -> r.requestId() + " " + -r.costNanos() + " " + NOW).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writesEverythingQueuedBeforeClose(Engine engine) {
        Database database = databases.open(engine);
        AccountStore accounts = new AccountStore(database, CLOCK);
        User user = accounts.createUser("close-dee", "default", Status.ACTIVE);
        ApiKey key = accounts.createKey(user.id(), "k", ApiKeys.hash("sk-close-dee"), "sk-…dee", null, null, List.of());
        long charges = 0;
        long charged = 0;
        try (LedgerWriter writer = TestLedger.writer(database, new BalanceBook(), CLOCK, 1_000, 7)) {
            for (int j = 0; j < 50; j++) {
                UsageRecord record = record(engine, 9, j, user, key);
                writer.settle(record);
                charges += record.costNanos();
                charged += record.costNanos() != 0 ? 1 : 0;
            }
        }
        User stored = accounts.findUser(user.id()).orElseThrow();
        assertThat(stored.requestCount()).isEqualTo(charged);
        assertThat(stored.balanceNanos()).isEqualTo(-charges).isEqualTo(accounts.ledgerSum(user.id()));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void completesFlushedWhenIdle(Engine engine) throws Exception {
        try (LedgerWriter writer = TestLedger.writer(databases.open(engine), new BalanceBook(), CLOCK, 5, 16)) {
            assertThat(writer.flushed().get(10, TimeUnit.SECONDS)).isNull();
            assertThat(writer.backlogSize()).isZero();
        }
    }

    /** A settlement with every optional field present or absent in turn; one in four costs nothing. */
    private static UsageRecord record(Engine engine, int thread, int j, User user, ApiKey key) {
        long cost = j % 4 == 0 ? 0 : 1_000L + thread * 100_000L + j * 7L;
        boolean failed = j % 6 == 5;
        return new UsageRecord("req-" + engine.name() + "-" + user.name() + "-" + thread + "-" + j, NOW - j,
                user.id(), key.id(), j % 3 == 0 ? "/v1/images/generations" : "/v1/chat/completions",
                "gpt-4o-mini", j % 3 == 1 ? null : "gpt-4o-mini-2024-07-18", j % 5 == 0 ? null : 7L,
                failed ? 502 : 200, j % 2 == 0, new Usage(10 + j, 2 + j, j % 3, j % 2, j % 4, j % 5),
                cost, 100 + j, j % 3 == 2 ? null : 20L + j, failed ? "upstream_cut" : "complete",
                j % 4 == 0 ? "none" : "reported", 1 + j % 2, failed ? "upstream: 502 Bad Gateway" : null);
    }

    private static String expectedRow(UsageRecord r) {
        Usage u = r.usage();
        return Stream.of(r.requestId(), r.createdAt(), r.userId(), r.keyId(), r.endpoint(), r.model(),
                        r.upstreamModel(), r.channelId(), r.statusCode(), r.stream() ? 1 : 0, u.promptTokens(),
                        u.completionTokens(), u.cachedTokens(), u.cacheWriteTokens(), Math.max(u.images(), u.seconds()),
                        r.costNanos(), r.latencyMs(), r.firstByteMs(), r.endReason(), r.billedBasis(), r.attempts(),
                        r.error())
                .map(String::valueOf).collect(joining("|"));
    }

    private static List<String> usageRows(Database database, long userId) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT " + USAGE_COLUMNS + " FROM usage_logs WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        values.add(String.valueOf(rs.getObject(i)));
                    }
                    return String.join("|", values);
                })
                .list());
    }

    private static List<String> chargeRows(Database database, long userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT reference, amount_nanos, created_at FROM ledger "
                        + "WHERE user_id = :user AND kind = 'charge'")
                .bind("user", userId)
                .map((rs, ctx) -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3))
                .list());
    }
}
