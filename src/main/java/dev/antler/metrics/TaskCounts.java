package dev.antler.metrics;

import dev.antler.store.Database;
import java.time.Clock;
import java.util.List;

/**
 * Tasks by family and status, read from the store with one grouped query and reused for {@code maxAgeMs}, so
 * scrapes cost the store at most one query per interval whatever the number of tasks or scrapers.
 */
final class TaskCounts {

    private record Row(String family, String status, long count) {}

    private record Read(long at, List<Row> rows) {}

    private final Database database;
    private final Clock clock;
    private final long maxAgeMs;
    private volatile Read last;

    TaskCounts(Database database, Clock clock, long maxAgeMs) {
        this.database = database;
        this.clock = clock;
        this.maxAgeMs = maxAgeMs;
    }

    /** Blocking: may query the store. A failed read keeps the last figures (or none). */
    void write(PromText out) {
        Read read = current();
        out.family("antler_tasks", "gauge", "Tasks in the store by family and status (read at most once per "
                + "metrics.task_counts_ms).");
        if (read == null) {
            return;
        }
        for (Row row : read.rows) {
            out.sample("antler_tasks", PromText.labels("family", row.family, "status", row.status), row.count);
        }
        out.family("antler_tasks_read_age_seconds", "gauge", "How old the task figures are.");
        out.sample("antler_tasks_read_age_seconds", "", PromText.seconds((clock.millis() - read.at) * 1000));
    }

    private synchronized Read current() {
        long now = clock.millis();
        Read read = last;
        if (read != null && now - read.at < maxAgeMs) {
            return read;
        }
        try {
            List<Row> rows = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT family, status, COUNT(*) AS n FROM tasks GROUP BY family, status ORDER BY family, status")
                    .map((r, ctx) -> new Row(r.getString(1), r.getString(2), r.getLong(3))).list());
            last = new Read(now, rows);
        } catch (RuntimeException e) {
            // the store is failing: readiness and the ledger gauges say so; keep the last figures
        }
        return last;
    }
}
