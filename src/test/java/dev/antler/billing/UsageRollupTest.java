package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageLogStore.GroupBy;
import dev.antler.billing.UsageLogStore.Total;
import dev.antler.store.Database;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import dev.antler.testing.TestLedger;
import dev.antler.testing.UsageRollups;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The daily and hourly roll-ups the ledger writer keeps equal the log they roll up: the same tables as the
 * migrations' backfills build from the log, and summaries, totals and chart series that mix whole days, whole hours
 * and partial hours of the log give the sums of the rows they cover, whatever the filter and range.
 */
class UsageRollupTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static final long HOUR = 3_600_000;
    private static final long DAY = 24 * HOUR;
    /** Not on an hour: ranges starting here have a partial first hour. */
    private static final long START = Instant.parse("2025-03-04T05:17:23Z").toEpochMilli();
    /** The first UTC day after START's. */
    private static final long NEXT_DAY = START - START % DAY + DAY;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(START + 4 * DAY), ZoneOffset.UTC);
    private static final String[] MODELS = {"gpt-a", "gpt-b", "claude-c"};
    private static final Long[] CHANNELS = {1L, 2L, null};
    private static final long[] LATENCIES = {3, 50, 51, 180, 999, 2_500, 45_000, 400_000};

    /** Groups of equal cost are listed by model name, or by user or channel id in number order (9 before 10). */
    @Test
    void equalCostsAreListedByNameOrByIdInNumberOrder() throws Exception {
        Database database = databases.openFresh(Engine.SQLITE);
        AccountStore accounts = new AccountStore(database, CLOCK);
        List<ApiKey> keys = new ArrayList<>();
        for (int u = 1; u <= 10; u++) {
            User user = accounts.createUser("tie-" + u, "default", Status.ACTIVE);
            keys.add(accounts.createKey(user.id(), "k", ApiKeys.hash("sk-tie-" + u), "sk-…" + u, null, null, List.of()));
        }
        try (LedgerWriter writer = TestLedger.writer(database, new BalanceBook(), CLOCK, 2, 16)) {
            String[] models = {"model-b", "model-c", "model-a"};
            int[] users = {9, 1, 8}; // users 10, 2 and 9, each on a channel of its own id and a model, equal costs
            for (int i = 0; i < users.length; i++) {
                ApiKey key = keys.get(users[i]);
                writer.settle(new UsageRecord("req-tie-" + i, START, key.userId(), key.id(), "chat.completions",
                        models[i], null, key.userId(), 200, false, Usage.tokens(10, 5), 700, 20, null, "complete",
                        "reported", 1, null));
            }
            writer.flushed().get(30, TimeUnit.SECONDS);
        }
        UsageLogStore logs = new UsageLogStore(database);
        Filter all = new Filter(null, null, null, null, null, null);
        List<String> ids = List.of(Long.toString(keys.get(1).userId()), Long.toString(keys.get(8).userId()),
                Long.toString(keys.get(9).userId()));
        assertThat(ids).containsExactly("2", "9", "10");
        assertThat(logs.summary(all, GroupBy.USER, 10)).extracting(Total::key).containsExactlyElementsOf(ids);
        assertThat(logs.summary(all, GroupBy.CHANNEL, 10)).extracting(Total::key).containsExactlyElementsOf(ids);
        assertThat(logs.summary(all, GroupBy.MODEL, 10)).extracting(Total::key)
                .containsExactly("model-a", "model-b", "model-c");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void summariesAndSeriesOverTheRollupEqualTheRowsTheyCover(Engine engine) throws Exception {
        Database database = databases.open(engine);
        AccountStore accounts = new AccountStore(database, CLOCK);
        List<ApiKey> keys = new ArrayList<>();
        for (String name : List.of("rollup-ann", "rollup-ben", "rollup-cy")) {
            User user = accounts.createUser(name, "default", Status.ACTIVE);
            keys.add(accounts.createKey(user.id(), "k", ApiKeys.hash("sk-" + name), "sk-…" + name, null, null, List.of()));
        }
        List<UsageRecord> rows = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        try (LedgerWriter writer = TestLedger.writer(database, new BalanceBook(), CLOCK, 2, 16)) {
            for (int i = 0; i < 600; i++) {
                ApiKey key = keys.get(random.nextInt(keys.size()));
                boolean failed = random.nextInt(8) == 0;
                UsageRecord row = new UsageRecord("req-rollup-" + engine + "-" + i, START + random.nextLong(3 * DAY + 5 * HOUR),
                        key.userId(), key.id(), "chat.completions", MODELS[random.nextInt(MODELS.length)], null,
                        CHANNELS[random.nextInt(CHANNELS.length)], failed ? 502 : 200, false,
                        new Usage(random.nextInt(900), random.nextInt(300), random.nextInt(50), 0, 0, 0),
                        failed ? 0 : 1 + random.nextInt(1_000_000), LATENCIES[random.nextInt(LATENCIES.length)], null,
                        failed ? "error" : "complete", "reported", 1, null);
                rows.add(row);
                writer.settle(row);
            }
            writer.flushed().get(30, TimeUnit.SECONDS);
        }

        Map<String, List<List<Object>>> written = snapshot(database);
        UsageRollups.rebuild(database);
        assertThat(snapshot(database)).as("the roll-ups the writer kept vs the migrations' backfills").isEqualTo(written);
        assertThat(written.get("usage_hourly")).hasSizeGreaterThan(5);
        assertThat(written.get("usage_daily")).hasSizeGreaterThan(5);

        UsageLogStore logs = new UsageLogStore(database);
        long user = keys.get(1).userId();
        Filter acrossDays = new Filter(null, null, null, null, START + 1_234, NEXT_DAY + DAY + 7 * HOUR + 77);
        List<Filter> filters = List.of(Filter.ALL,
                acrossDays,
                new Filter(null, null, null, null, START + 1_234, START + 3 * HOUR + 77),
                new Filter(null, null, null, null, null, START + 2 * HOUR),
                new Filter(null, null, null, null, null, NEXT_DAY + 2 * HOUR - 5),
                new Filter(null, null, null, null, NEXT_DAY - 10, null),
                new Filter(null, null, null, null, NEXT_DAY, NEXT_DAY + 2 * DAY),
                new Filter(null, null, null, null, NEXT_DAY + HOUR, NEXT_DAY + DAY + 7 * HOUR),
                new Filter(user, null, null, null, START + HOUR, null),
                new Filter(user, null, null, null, START + 5, NEXT_DAY + DAY + 30 * 60_000),
                new Filter(null, null, "gpt-b", 2L, START - 5, NEXT_DAY + 2 * DAY + 4 * HOUR - 5),
                new Filter(null, keys.get(0).id(), null, null, START + 10, NEXT_DAY + DAY),
                new Filter(null, null, null, null, START + HOUR + 60_000, START + HOUR + 120_000));
        for (Filter filter : filters) {
            List<UsageRecord> covered = rows.stream().filter(matches(filter)).toList();
            assertThat(logs.total(filter)).as("total of %s", filter).isEqualTo(sum(null, covered));
            for (GroupBy by : GroupBy.values()) {
                Map<String, Total> expected = new HashMap<>();
                covered.stream().collect(Collectors.groupingBy(key(by)))
                        .forEach((k, group) -> expected.put(k, sum(k, group)));
                List<Total> actual = logs.summary(filter, by, 100);
                assertThat(actual).as("summary of %s by %s", filter, by).containsExactlyInAnyOrderElementsOf(
                        expected.values());
                for (int i = 1; i < actual.size(); i++) {
                    assertThat(actual.get(i).costNanos()).isLessThanOrEqualTo(actual.get(i - 1).costNanos());
                }
                // The limit keeps the largest groups, summed over every part before the cut.
                assertThat(logs.summary(filter, by, 2)).as("top 2 of %s by %s", filter, by)
                        .isEqualTo(actual.subList(0, Math.min(2, actual.size())));
            }
        }

        // Hour and day buckets over ranges with partial first and last days and hours: each bucket sums its rows.
        assertSeries(database, rows, new Filter(null, null, null, null, START + 1_234, START + 4 * HOUR + 5), HOUR);
        assertSeries(database, rows, acrossDays, HOUR);
        assertSeries(database, rows, acrossDays, DAY);
        assertSeries(database, rows, new Filter(keys.get(2).userId(), null, null, null, START + 1_234,
                NEXT_DAY + 2 * DAY + 3 * HOUR + 1), DAY);

        // The ranges read every level: whole days, the whole hours around them, the partial hours at the ends.
        assertThat(UsageSource.parts(acrossDays, false, 0)).extracting(UsageSource.Part::source)
                .containsExactly(UsageSource.DAILY, UsageSource.HOURLY, UsageSource.LOG, UsageSource.HOURLY,
                        UsageSource.LOG);
        assertThat(UsageSource.parts(acrossDays, true, 0)).extracting(UsageSource.Part::source)
                .contains(UsageSource.USER_DAILY, UsageSource.USER_HOURLY);
    }

    private static void assertSeries(Database database, List<UsageRecord> rows, Filter range, long bucketMs) {
        for (UsageSeries.By by : UsageSeries.By.values()) {
            for (UsageSeries.Series s : new UsageSeries(database).series(range, bucketMs, by, 10)) {
                for (UsageSeries.Bucket b : s.buckets()) {
                    List<UsageRecord> in = rows.stream().filter(matches(range))
                            .filter(r -> r.createdAt() - Math.floorMod(r.createdAt(), bucketMs) == b.start())
                            .filter(r -> by == UsageSeries.By.NONE || Objects.equals(s.key(), seriesKey(by).apply(r)))
                            .toList();
                    assertThat(b.requests()).as("%s %s bucket %s of %s", by, s.key(), b.start(), bucketMs)
                            .isEqualTo(in.size());
                    assertThat(b.spendNanos()).isEqualTo(in.stream().mapToLong(UsageRecord::costNanos).sum());
                    assertThat(b.errors()).isEqualTo(in.stream().filter(r -> r.statusCode() >= 400).count());
                }
            }
        }
    }

    private static Predicate<UsageRecord> matches(Filter f) {
        return r -> (f.userId() == null || f.userId() == r.userId()) && (f.keyId() == null || f.keyId() == r.keyId())
                && (f.model() == null || f.model().equals(r.model()))
                && (f.channelId() == null || f.channelId().equals(r.channelId()))
                && (f.from() == null || r.createdAt() >= f.from()) && (f.to() == null || r.createdAt() < f.to());
    }

    private static Function<UsageRecord, String> key(GroupBy by) {
        return switch (by) {
            case MODEL -> UsageRecord::model;
            case USER -> r -> Long.toString(r.userId());
            case CHANNEL -> r -> r.channelId() == null ? "none" : r.channelId().toString();
        };
    }

    private static Function<UsageRecord, String> seriesKey(UsageSeries.By by) {
        return switch (by) {
            case NONE -> r -> null;
            case MODEL -> UsageRecord::model;
            case USER -> r -> Long.toString(r.userId());
            case CHANNEL -> r -> r.channelId() == null ? null : r.channelId().toString();
        };
    }

    private static Total sum(String key, List<UsageRecord> rows) {
        return new Total("none".equals(key) ? null : key, rows.size(),
                rows.stream().mapToLong(r -> r.usage().promptTokens()).sum(),
                rows.stream().mapToLong(r -> r.usage().completionTokens()).sum(),
                rows.stream().mapToLong(r -> r.usage().cachedTokens()).sum(),
                rows.stream().mapToLong(UsageRecord::costNanos).sum());
    }

    private static Map<String, List<List<Object>>> snapshot(Database database) {
        Map<String, List<List<Object>>> tables = new HashMap<>();
        for (UsageSource rollup : UsageSource.ROLLUPS) {
            String table = rollup.table;
            String order = (rollup.perUser ? "user_id, " : "") + rollup.time + ", model, channel_id";
            tables.put(table, database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM " + table + " ORDER BY " + order)
                    .map((rs, ctx) -> {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.add(rs.getString(i));
                        }
                        return row;
                    }).list()));
        }
        return tables;
    }
}
