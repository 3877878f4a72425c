// The console's log and chart queries on a store seeded with usage rows (default 1,000,000 over 30 days, 100 users,
// 20 models, 10 channels): median time of each, from the store API the pages call. Not part of the tests.
//
//   bench/console-pages [ROWS]      (builds the classpath with Maven, then runs this file with the JDK source launcher)
import dev.antler.billing.UsageLogStore;
import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageSeries;
import dev.antler.config.DatabaseConfig;
import dev.antler.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

public class ConsolePages {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("antler-console-bench-");
        Database db = Database.open(new DatabaseConfig("jdbc:sqlite:" + dir.resolve("antler.db"), null, null, null));
        long now = System.currentTimeMillis();
        long span = 30L * 86_400_000;
        long t0 = System.nanoTime();
        Random random = new Random(7);
        int batch = 10_000;
        for (int done = 0; done < rows; done += batch) {
            int start = done;
            db.jdbi().useTransaction(h -> {
                var insert = h.prepareBatch("INSERT INTO usage_logs (request_id, created_at, user_id, key_id, endpoint, "
                        + "model, channel_id, status_code, stream, prompt_tokens, completion_tokens, cached_tokens, "
                        + "cache_write_tokens, units, cost_nanos, latency_ms, end_reason, billed_basis, attempts) VALUES "
                        + "(:rid, :at, :user, :key, 'chat', :model, :channel, :status, 0, 100, 50, 0, 0, 0, :cost, "
                        + ":latency, 'complete', 'usage', 1)");
                for (int i = start; i < Math.min(rows, start + batch); i++) {
                    int user = 1 + random.nextInt(100);
                    insert.bind("rid", "req-" + i).bind("at", now - span + (long) i * span / rows).bind("user", user)
                            .bind("key", user).bind("model", "model-" + random.nextInt(20))
                            .bind("channel", 1 + random.nextInt(10)).bind("status", random.nextInt(50) == 0 ? 502 : 200)
                            .bind("cost", 1_000 + random.nextInt(100_000)).bind("latency", 50 + random.nextInt(3_000))
                            .add();
                }
                insert.execute();
            });
        }
        db.jdbi().useHandle(h -> h.execute("ANALYZE"));
        System.out.printf("seeded %,d usage rows in %.1f s (%s)%n", rows, (System.nanoTime() - t0) / 1e9, dir);

        UsageSeries series = new UsageSeries(db);
        UsageLogStore logs = new UsageLogStore(db);
        long hour = 3_600_000;
        long day = 24 * hour;
        long toHour = now - now % 60_000 + 60_000;
        long toDay = now - now % hour + hour;
        long toMonth = now - now % day + day;
        Filter all = Filter.ALL;
        long middle = db.jdbi().withHandle(h -> h.createQuery("SELECT MAX(id) / 2 FROM usage_logs").mapTo(Long.class).one());
        time("admin chart, last hour (60 x 1 min)", () -> series.series(
                new Filter(null, null, null, null, toHour - hour, toHour), 60_000, UsageSeries.By.NONE, 1));
        time("admin chart, last day (24 x 1 h)", () -> series.series(
                new Filter(null, null, null, null, toDay - day, toDay), hour, UsageSeries.By.NONE, 1));
        time("admin chart, last day by model", () -> series.series(
                new Filter(null, null, null, null, toDay - day, toDay), hour, UsageSeries.By.MODEL, 10));
        time("admin chart, 30 days (30 x 1 d)", () -> series.series(
                new Filter(null, null, null, null, toMonth - 30 * day, toMonth), day, UsageSeries.By.NONE, 1));
        time("user chart, 30 days (one user)", () -> series.series(
                new Filter(42L, null, null, null, toMonth - 30 * day, toMonth), day, UsageSeries.By.NONE, 1));
        time("user usage, first page of 50", () -> logs.page(new Filter(42L, null, null, null, null, null), null, null,
                null, 50));
        time("user usage, page of 50 mid-way (before_id)", () -> logs.page(new Filter(42L, null, null, null, null, null),
                null, null, middle, 50));
        time("user usage, errors only, first page", () -> logs.page(new Filter(42L, null, null, null, null, null), true,
                null, null, 50));
        time("admin log, first page of 100", () -> logs.list(all, 100, 0));
        time("admin log, one model, first page", () -> logs.list(new Filter(null, null, "model-3", null, null, null),
                100, 0));
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void time(String what, Supplier<?> query) {
        query.get(); // warm
        double[] ms = new double[7];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-48s median %8.1f ms   max %8.1f ms%n", what, ms[ms.length / 2], ms[ms.length - 1]);
    }
}
