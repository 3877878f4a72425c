package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageSeries;
import dev.antler.console.AuditLog;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The admin audit log ({@code audit}) and the dashboard's charts ({@code stats/series}). */
final class AuditHandlers {

    private static final int MAX_GROUPS = 10;

    private final AdminContext context;
    private final UsageSeries series;

    AuditHandlers(AdminContext context) {
        this.context = context;
        this.series = new UsageSeries(context.database());
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "audit", this::audit)
                .add(GET, "stats/series", this::series);
    }

    private Future<Reply> audit(AdminCall call) {
        Long beforeId = call.queryLong("before_id", 1, Long.MAX_VALUE);
        int limit = call.limit();
        return call.blocking(() -> {
            List<AuditLog.Entry> rows = context.console().audit().page(beforeId, limit);
            ArrayNode data = AdminJson.array();
            for (AuditLog.Entry e : rows) {
                ObjectNode node = data.addObject();
                node.put("id", e.id());
                node.put("time", AdminJson.iso(e.createdAt()));
                node.put("actor", e.actor());
                node.put("action", e.action());
                node.put("target", e.target());
                node.put("status", e.status());
                node.put("request_id", e.requestId());
            }
            ObjectNode page = AdminJson.list(data);
            if (rows.size() == limit) {
                page.put("next_before_id", rows.get(rows.size() - 1).id());
            } else {
                page.putNull("next_before_id");
            }
            return Reply.ok(page);
        });
    }

    /** Buckets over all rows, and the ten largest groups' own buckets when {@code by} is not none. */
    private Future<Reply> series(AdminCall call) {
        SeriesWindow window = SeriesWindow.of(call.query("window"), context.clock().millis());
        String byName = call.query("by") == null ? "none" : call.query("by");
        UsageSeries.By by = switch (byName) {
            case "none", "model", "channel", "user" -> UsageSeries.By.valueOf(byName.toUpperCase(Locale.ROOT));
            default -> throw Problems.invalid("by", byName, "model, channel, user or none");
        };
        Filter filter = new Filter(null, null, null, null, window.from(), window.to());
        return call.blocking(() -> {
            ObjectNode body = window.describe();
            body.put("by", byName);
            body.set("buckets", SeriesWindow.buckets(series.series(filter, window.bucketMs(), UsageSeries.By.NONE, 1)
                    .get(0).buckets(), true));
            ArrayNode groups = body.putArray("series");
            if (by != UsageSeries.By.NONE) {
                for (UsageSeries.Series s : series.series(filter, window.bucketMs(), by, MAX_GROUPS)) {
                    ObjectNode group = groups.addObject();
                    group.put("key", s.key());
                    group.put("spend_nano", s.spendNanos());
                    group.set("buckets", SeriesWindow.buckets(s.buckets(), true));
                }
            }
            return Reply.ok(body);
        });
    }
}
