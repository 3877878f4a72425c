package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageLogStore.GroupBy;
import dev.antler.store.Database;
import dev.antler.testing.StoreSeeder;
import dev.antler.testing.StoreSeeder.Sizes;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How SQLite runs the usage-log summaries on a grown store (no timing: the query plan): each part of a summary of one
 * day reads that day's range, through the log's time index or the roll-ups' keys, which start with the hour or day;
 * never a walk of every row of the log or of a per-user roll-up.
 */
class UsageLogPlanTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    @Test
    void aSummaryOfOneDayReadsThatDayThroughTheTimeIndex() {
        Database database = databases.open(Engine.SQLITE);
        StoreSeeder.seed(database, new Sizes(40, 80, 4000, 30), message -> {});
        database.jdbi().useHandle(h -> h.execute("DROP TABLE IF EXISTS sqlite_stat1")); // as a store in use has none
        UsageLogStore logs = new UsageLogStore(database);
        Filter lastDay = new Filter(null, null, null, null, System.currentTimeMillis() - 86_400_000L, null);
        for (GroupBy groupBy : GroupBy.values()) {
            List<String> log = plan(database, logs, UsageSource.LOG, lastDay, groupBy);
            assertThat(log).as("%s: %s", groupBy, log).anyMatch(step -> step.contains("INDEX usage_logs_time"));
            // The per-user roll-ups' keys start with the hour and the day: a search of that range, not a walk of
            // every row.
            List<String> hourly = plan(database, logs, UsageSource.USER_HOURLY, lastDay, groupBy);
            assertThat(hourly).as("%s over the per-user hourly roll-up: %s", groupBy, hourly).anyMatch(step ->
                    step.startsWith("SEARCH usage_user_hourly USING PRIMARY KEY") && step.contains("(hour_start>?)"));
            List<String> daily = plan(database, logs, UsageSource.USER_DAILY, lastDay, groupBy);
            assertThat(daily).as("%s over the per-user daily roll-up: %s", groupBy, daily).anyMatch(step ->
                    step.startsWith("SEARCH usage_user_daily USING") && step.contains("(day_start>?)"));
            assertThat(logs.summary(lastDay, groupBy, 1000)).as(groupBy.name()).isNotEmpty();
        }
    }

    private static List<String> plan(Database database, UsageLogStore logs, UsageSource source, Filter filter,
                                     GroupBy groupBy) {
        Map<String, Object> bindings = new LinkedHashMap<>();
        String sql = logs.summarySql(new UsageSource.Part(source, filter), groupBy, bindings);
        return database.jdbi().withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + sql)
                .bindMap(bindings).map((rs, ctx) -> rs.getString("detail")).list());
    }
}
