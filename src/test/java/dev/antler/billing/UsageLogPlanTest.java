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
 * How SQLite runs the usage-log summaries on a grown store (no timing: the query plan). Without statistics, which
 * the gateway's store never has, SQLite would group through the group column's index and read every row of the
 * log for a summary of one day.
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
            Map<String, Object> bindings = new LinkedHashMap<>();
            String sql = logs.summarySql(new UsageSource.Part(UsageSource.LOG, lastDay), groupBy, bindings);
            List<String> plan = database.jdbi().withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + sql)
                    .bindMap(bindings).map((rs, ctx) -> rs.getString("detail")).list());
            assertThat(plan).as("%s: %s", groupBy, plan).anyMatch(step -> step.contains("INDEX usage_logs_time"));
            Map<String, Object> rollupBindings = new LinkedHashMap<>();
            String rollupSql = logs.summarySql(new UsageSource.Part(UsageSource.USER_HOURLY, lastDay), groupBy,
                    rollupBindings);
            List<String> rollupPlan = database.jdbi().withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + rollupSql)
                    .bindMap(rollupBindings).map((rs, ctx) -> rs.getString("detail")).list());
            assertThat(rollupPlan).as("%s over the per-user roll-up: %s", groupBy, rollupPlan)
                    .anyMatch(step -> step.contains("INDEX usage_user_hourly_hour"));
            assertThat(logs.summary(lastDay, groupBy, 1000)).as(groupBy.name()).isNotEmpty();
        }
    }
}
