package dev.antler.admin;

import dev.antler.billing.UsageSeries;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chart's time range: the last hour in minutes, the last day in hours, or the last 30 days in days, ending with
 * the bucket that holds now. Shared by the user's and the admin's series.
 */
public record SeriesWindow(String name, long from, long to, long bucketMs) {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    public static SeriesWindow of(String window, long now) {
        String name = window == null ? "day" : window;
        return switch (name) {
            case "hour" -> last(name, now, MINUTE, 60);
            case "day" -> last(name, now, HOUR, 24);
            case "month" -> last(name, now, DAY, 30);
            default -> throw Problems.invalid("window", name, "hour, day or month");
        };
    }

    private static SeriesWindow last(String name, long now, long bucketMs, int buckets) {
        long to = now - Math.floorMod(now, bucketMs) + bucketMs;
        return new SeriesWindow(name, to - buckets * bucketMs, to, bucketMs);
    }

    /** {@code {"window","bucket_seconds","from","to"}}. */
    public ObjectNode describe() {
        ObjectNode body = AdminJson.object();
        body.put("window", name);
        body.put("bucket_seconds", bucketMs / 1000);
        body.put("from", AdminJson.iso(from));
        body.put("to", AdminJson.iso(to));
        return body;
    }

    /** The buckets as JSON; latency percentiles only for the admin's charts. */
    public static ArrayNode buckets(List<UsageSeries.Bucket> buckets, boolean latency) {
        ArrayNode out = AdminJson.array();
        for (UsageSeries.Bucket b : buckets) {
            ObjectNode node = out.addObject();
            node.put("start", AdminJson.iso(b.start()));
            node.put("spend_nano", b.spendNanos());
            node.put("requests", b.requests());
            node.put("errors", b.errors());
            if (latency) {
                node.put("p50_latency_ms", b.p50LatencyMs());
                node.put("p95_latency_ms", b.p95LatencyMs());
            }
        }
        return out;
    }
}
