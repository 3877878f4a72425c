package dev.antler.console.api;

import static io.vertx.core.http.HttpMethod.GET;

import dev.antler.admin.AdminCall;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminJson;
import dev.antler.admin.AdminRoutes;
import dev.antler.admin.LogHandlers;
import dev.antler.admin.Problems;
import dev.antler.admin.Reply;
import dev.antler.admin.SeriesWindow;
import dev.antler.admin.TaskHandlers;
import dev.antler.billing.UsageLogStore;
import dev.antler.billing.UsageLogStore.Cursor;
import dev.antler.billing.UsageLogStore.Entry;
import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageSeries;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A user's own usage rows, spend series and tasks, newest first with keyset paging ({@code before_id}). Rows show
 * what the user sent and paid; what is about the operator's upstreams (channel, upstream model, attempt log) is left
 * out.
 */
final class OwnUsageHandlers {

    static final int MAX_LIMIT = 200;
    private static final Pattern END_REASON = Pattern.compile("[a-z_]{1,16}");

    private final AdminContext context;
    private final UsageLogStore logs;
    private final UsageSeries series;
    private final TaskStore tasks;

    OwnUsageHandlers(AdminContext context) {
        this.context = context;
        this.logs = new UsageLogStore(context.database());
        this.series = new UsageSeries(context.database());
        this.tasks = new TaskStore(context.database());
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "usage", this::usage)
                .add(GET, "usage/series", this::series)
                .add(GET, "tasks", this::tasks);
    }

    private Future<Reply> usage(AdminCall call) {
        long self = UserApi.self(call.caller());
        Filter filter = new Filter(self, call.queryLong("key_id", 1, Long.MAX_VALUE), call.query("model"), null,
                call.queryTime("from"), call.queryTime("to"));
        Boolean errors = errors(call.query("status"));
        String endReason = call.query("end_reason");
        if (endReason != null && !END_REASON.matcher(endReason).matches()) {
            throw Problems.invalid("end_reason", endReason, "complete, client_gone, upstream_cut, timeout or error");
        }
        String cursorText = call.query("cursor");
        Cursor after = cursorText == null ? null : Cursor.parse(cursorText).orElseThrow(() -> Problems.invalid(
                "cursor", cursorText, "the next_cursor of an earlier page"));
        int limit = limit(call);
        return call.blocking(() -> {
            List<Entry> rows = logs.page(filter, errors, endReason, after, limit);
            ArrayNode data = AdminJson.array();
            for (Entry row : rows) {
                ObjectNode node = LogHandlers.view(row);
                node.put("id", row.id());
                node.remove(List.of("channel_id", "upstream_model", "attempt_log"));
                data.add(node);
            }
            ObjectNode page = AdminJson.object();
            page.set("data", data);
            if (rows.size() == limit) {
                page.put("next_cursor", rows.getLast().cursor().text());
            } else {
                page.putNull("next_cursor");
            }
            return Reply.ok(page);
        });
    }

    private Future<Reply> series(AdminCall call) {
        long self = UserApi.self(call.caller());
        SeriesWindow window = SeriesWindow.of(call.query("window"), context.clock().millis());
        return call.blocking(() -> {
            UsageSeries.Series all = series.series(new Filter(self, null, null, null, window.from(), window.to()),
                    window.bucketMs(), UsageSeries.By.NONE, 1).get(0);
            ObjectNode body = window.describe();
            body.set("buckets", SeriesWindow.buckets(all.buckets(), false));
            return Reply.ok(body);
        });
    }

    private Future<Reply> tasks(AdminCall call) {
        long self = UserApi.self(call.caller());
        String family = call.query("family");
        String statusFilter = TaskHandlers.statusFilter(call);
        Long beforeId = call.queryLong("before_id", 1, Long.MAX_VALUE);
        int limit = limit(call);
        return call.blocking(() -> {
            List<Task> found = tasks.pageForUser(self, family, statusFilter, beforeId, limit);
            ArrayNode data = AdminJson.array();
            for (Task t : found) {
                ObjectNode node = TaskHandlers.view(t, null);
                node.remove(List.of("channel_id", "facts"));
                data.add(node);
            }
            return Reply.ok(page(data, found.size() == limit ? found.get(found.size() - 1).id() : null));
        });
    }

    /** {@code status}: ok (below 400), error (400 and up), or absent. */
    private static Boolean errors(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "ok" -> false;
            case "error" -> true;
            default -> throw Problems.invalid("status", status, "ok or error");
        };
    }

    private static int limit(AdminCall call) {
        Long limit = call.queryLong("limit", 1, MAX_LIMIT);
        return limit == null ? 50 : limit.intValue();
    }

    /** {@code {"data":[...],"next_before_id":n|null}}: pass next_before_id as before_id for the next page. */
    private static ObjectNode page(ArrayNode data, Long next) {
        ObjectNode page = AdminJson.list(data);
        if (next == null) {
            page.putNull("next_before_id");
        } else {
            page.put("next_before_id", next);
        }
        return page;
    }
}
