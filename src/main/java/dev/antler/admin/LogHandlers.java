package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.antler.billing.UsageLogStore;
import dev.antler.billing.UsageLogStore.Cursor;
import dev.antler.billing.UsageLogStore.Entry;
import dev.antler.billing.UsageLogStore.Filter;
import dev.antler.billing.UsageLogStore.GroupBy;
import dev.antler.billing.UsageLogStore.Total;
import dev.antler.json.Json;
import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The usage log: filtered rows, newest first, and per-model, per-user or per-channel totals. */
public final class LogHandlers {

    private static final int MAX_GROUPS = 1000;

    private final UsageLogStore logs;

    LogHandlers(AdminContext context) {
        this.logs = new UsageLogStore(context.database());
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "logs", this::list)
                .add(GET, "logs/summary", this::summary);
    }

    /**
     * A page of rows, by {@code offset} or, for deep pages, by {@code cursor}: the {@code next_cursor} of the page
     * before, which reads only its own rows however far into the log it is.
     */
    private Future<Reply> list(AdminCall call) {
        Filter filter = filter(call);
        int limit = call.limit();
        int offset = call.offset();
        String cursorText = call.query("cursor");
        Cursor cursor = null;
        if (cursorText != null) {
            cursor = Cursor.parse(cursorText).orElseThrow(() -> Problems.invalid("cursor", cursorText,
                    "the next_cursor of an earlier page"));
            if (offset != 0) {
                throw Problems.invalid("offset", Integer.toString(offset), "0 or absent with a cursor");
            }
        }
        Cursor after = cursor;
        return call.blocking(() -> {
            List<Entry> rows = after == null ? logs.list(filter, limit, offset) : logs.page(filter, null, null, after, limit);
            ArrayNode data = AdminJson.array();
            rows.forEach(e -> data.add(view(e)));
            ObjectNode page = AdminJson.page(data, limit, offset);
            if (rows.size() == limit) {
                page.put("next_cursor", rows.getLast().cursor().text());
            } else {
                page.putNull("next_cursor");
            }
            return Reply.ok(page);
        });
    }

    private Future<Reply> summary(AdminCall call) {
        Filter filter = filter(call);
        String by = call.query("group_by");
        GroupBy groupBy = switch (by == null ? "model" : by) {
            case "model" -> GroupBy.MODEL;
            case "user" -> GroupBy.USER;
            case "channel" -> GroupBy.CHANNEL;
            default -> throw Problems.invalid("group_by", by, "model, user or channel");
        };
        String keyName = groupBy == GroupBy.MODEL ? "model" : groupBy.name().toLowerCase(Locale.ROOT) + "_id";
        return call.blocking(() -> {
            List<Total> totals = logs.summary(filter, groupBy, MAX_GROUPS);
            ArrayNode data = AdminJson.array();
            for (Total t : totals) {
                ObjectNode node = data.addObject();
                if (t.key() == null) {
                    node.putNull(keyName);
                } else if (groupBy == GroupBy.MODEL) {
                    node.put(keyName, t.key());
                } else {
                    node.put(keyName, Long.parseLong(t.key()));
                }
                totals(node, t);
            }
            ObjectNode body = AdminJson.object();
            body.put("group_by", groupBy.name().toLowerCase(Locale.ROOT));
            body.set("data", data);
            totals(body.putObject("total"), logs.total(filter));
            return Reply.ok(body);
        });
    }

    private static Filter filter(AdminCall call) {
        return new Filter(call.queryLong("user_id", 1, Long.MAX_VALUE), call.queryLong("key_id", 1, Long.MAX_VALUE),
                call.query("model"), call.queryLong("channel_id", 1, Long.MAX_VALUE), call.queryTime("from"),
                call.queryTime("to"));
    }

    private static void totals(ObjectNode node, Total t) {
        node.put("requests", t.requests());
        node.put("prompt_tokens", t.promptTokens());
        node.put("completion_tokens", t.completionTokens());
        node.put("cached_tokens", t.cachedTokens());
        AdminJson.putUsd(node, "cost", t.costNanos());
    }

    /** A usage row as the admin API shows it. */
    public static ObjectNode view(Entry e) {
        ObjectNode node = AdminJson.object();
        node.put("request_id", e.requestId());
        node.put("time", AdminJson.iso(e.createdAt()));
        node.put("user_id", e.userId());
        node.put("key_id", e.keyId());
        node.put("endpoint", e.endpoint());
        node.put("model", e.model());
        node.put("upstream_model", e.upstreamModel());
        node.put("channel_id", e.channelId());
        node.put("status", e.statusCode());
        node.put("stream", e.stream());
        node.put("prompt_tokens", e.promptTokens());
        node.put("completion_tokens", e.completionTokens());
        node.put("cached_tokens", e.cachedTokens());
        node.put("cache_write_tokens", e.cacheWriteTokens());
        node.put("units", e.units());
        AdminJson.putUsd(node, "cost", e.costNanos());
        node.put("latency_ms", e.latencyMs());
        node.put("first_byte_ms", e.firstByteMs());
        node.put("end_reason", e.endReason());
        node.put("billed_basis", e.billedBasis());
        node.put("attempts", e.attempts());
        node.put("error", e.error());
        if (e.attemptLog() == null) {
            node.putArray("attempt_log");
        } else {
            node.set("attempt_log", Json.MAPPER.readTree(e.attemptLog()));
        }
        return node;
    }
}
