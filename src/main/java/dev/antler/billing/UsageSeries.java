package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Spend (net, as the summaries count it), requests, errors and latency of the usage log in time buckets, for the
 * console's charts. Buckets of whole UTC days read the daily roll-up, of whole hours the hourly one (a few rows per
 * day or hour, see {@link UsageRollup}), smaller buckets and partial hours the log itself; latency percentiles come
 * from a histogram of fixed bins counted in the same queries, so no row leaves the store. A percentile is the upper
 * bound of the bin it falls in. Blocking: call off the event loop.
 */
public final class UsageSeries {

    private static final long[] LATENCY_BINS = UsageRollup.LATENCY_BINS;

    /** What a series may be split by; each names a fixed column, so no request text reaches the SQL. */
    public enum By {
        NONE(null), MODEL("model"), CHANNEL(null), USER("user_id");

        private final String column;

        By(String column) {
            this.column = column;
        }

        /** The group key's expression in {@code source}; "NULL" when not grouped. */
        String group(UsageSource source) {
            return this == NONE ? "NULL" : this == CHANNEL ? source.channel() : column;
        }
    }

    /** One bucket; latencies are null when the bucket has no rows. */
    public record Bucket(long start, long spendNanos, long requests, long errors, Long p50LatencyMs,
                         Long p95LatencyMs) {}

    /** The buckets of one group (key null: all rows, or rows without the grouped value). */
    public record Series(String key, long spendNanos, List<Bucket> buckets) {}

    private final Jdbi jdbi;

    public UsageSeries(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Buckets of {@code bucketMs} from {@code filter.from()} (inclusive, aligned down to a bucket) to
     * {@code filter.to()} (exclusive), every bucket present (zeros when empty); one series per group, the
     * {@code maxGroups} with the largest spend first.
     */
    public List<Series> series(Filter filter, long bucketMs, By by, int maxGroups) {
        requireNonNull(filter.from(), "filter.from");
        requireNonNull(filter.to(), "filter.to");
        Map<String, Map<Long, Acc>> groups = new LinkedHashMap<>();
        for (UsageSource.Part part : UsageSource.parts(filter, by == By.USER, bucketMs)) {
            if (part.source() == UsageSource.LOG) {
                fromLog(part.filter(), bucketMs, by, groups);
            } else {
                fromRollup(part, bucketMs, by, groups);
            }
        }
        long start = filter.from() - Math.floorMod(filter.from(), bucketMs);
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Acc>> g : groups.entrySet()) {
            List<Bucket> buckets = new ArrayList<>();
            long spend = 0;
            for (long b = start; b < filter.to(); b += bucketMs) {
                Acc acc = g.getValue().get(b);
                buckets.add(acc == null ? new Bucket(b, 0, 0, 0, null, null) : acc.bucket(b));
                spend += acc == null ? 0 : acc.spend;
            }
            out.add(new Series(g.getKey(), spend, buckets));
        }
        out.sort((a, b) -> Long.compare(b.spendNanos(), a.spendNanos()));
        if (out.isEmpty() && by == By.NONE) {
            List<Bucket> empty = new ArrayList<>();
            for (long b = start; b < filter.to(); b += bucketMs) {
                empty.add(new Bucket(b, 0, 0, 0, null, null));
            }
            out.add(new Series(null, 0, empty));
        }
        return out.size() > maxGroups ? List.copyOf(out.subList(0, maxGroups)) : out;
    }

    /** Rows grouped by bucket and latency bin. */
    private void fromLog(Filter filter, long bucketMs, By by, Map<String, Map<Long, Acc>> groups) {
        UsageSource log = UsageSource.LOG;
        Map<String, Object> bindings = new LinkedHashMap<>();
        String where = log.where(filter, bindings);
        // The bucket width and the bins are numbers the gateway chose, spliced so every dialect groups by one expression.
        String bucket = log.bucket(bucketMs);
        StringBuilder bin = new StringBuilder("CASE");
        for (int i = 0; i < LATENCY_BINS.length; i++) {
            bin.append(" WHEN latency_ms <= ").append(LATENCY_BINS[i]).append(" THEN ").append(i);
        }
        bin.append(" ELSE ").append(LATENCY_BINS.length).append(" END");
        String group = by.group(log);
        String sql = "SELECT " + group + " AS g, " + bucket + " AS b, " + bin + " AS l, " + log.requests() + ", "
                + log.cost() + ", " + log.errors() + " FROM usage_logs" + where
                + " GROUP BY " + (by == By.NONE ? "" : group + ", ") + bucket + ", " + bin;
        jdbi.useHandle(h -> h.createQuery(sql).bindMap(bindings).map((rs, ctx) -> {
            Acc acc = Acc.of(groups, rs.getString(1), rs.getLong(2));
            long count = rs.getLong(4);
            acc.requests += count;
            acc.spend += rs.getLong(5);
            acc.errors += rs.getLong(6);
            acc.bins[rs.getInt(3)] += count;
            return 0;
        }).list());
    }

    /** Whole units of a roll-up grouped by bucket ({@code bucketMs} a multiple of its unit), their bins summed. */
    private void fromRollup(UsageSource.Part part, long bucketMs, By by, Map<String, Map<Long, Acc>> groups) {
        UsageSource source = part.source();
        Map<String, Object> bindings = new LinkedHashMap<>();
        String where = source.where(part.filter(), bindings);
        String bucket = source.bucket(bucketMs);
        StringBuilder sql = new StringBuilder("SELECT ").append(by.group(source)).append(" AS g, ").append(bucket)
                .append(" AS b, SUM(requests), SUM(cost_nanos), SUM(errors)");
        for (int i = 0; i <= LATENCY_BINS.length; i++) {
            sql.append(", SUM(").append(UsageRollup.latencyColumn(i)).append(')');
        }
        sql.append(" FROM ").append(source.table).append(where).append(" GROUP BY ")
                .append(by == By.NONE ? "" : by.group(source) + ", ").append(bucket);
        jdbi.useHandle(h -> h.createQuery(sql.toString()).bindMap(bindings).map((rs, ctx) -> {
            Acc acc = Acc.of(groups, rs.getString(1), rs.getLong(2));
            acc.requests += rs.getLong(3);
            acc.spend += rs.getLong(4);
            acc.errors += rs.getLong(5);
            for (int i = 0; i < acc.bins.length; i++) {
                acc.bins[i] += rs.getLong(6 + i);
            }
            return 0;
        }).list());
    }

    private static final class Acc {
        long requests;
        long spend;
        long errors;
        final long[] bins = new long[LATENCY_BINS.length + 1];

        /** The accumulator of {@code group}'s bucket starting at {@code bucket}, made on first use. */
        static Acc of(Map<String, Map<Long, Acc>> groups, String group, long bucket) {
            return groups.computeIfAbsent(group, k -> new TreeMap<>()).computeIfAbsent(bucket, b -> new Acc());
        }

        Bucket bucket(long start) {
            return new Bucket(start, spend, requests, errors, percentile(0.50), percentile(0.95));
        }

        /** The upper bound of the bin holding the {@code q} quantile; the open last bin reports its lower bound. */
        private Long percentile(double q) {
            long rank = (long) Math.ceil(q * requests);
            long seen = 0;
            for (int i = 0; i < bins.length; i++) {
                seen += bins[i];
                if (seen >= rank && seen > 0) {
                    return LATENCY_BINS[Math.min(i, LATENCY_BINS.length - 1)];
                }
            }
            return null;
        }
    }
}
