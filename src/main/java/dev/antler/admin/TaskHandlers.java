package dev.antler.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.antler.family.Family;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskStore;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /admin/tasks}: async tasks (Midjourney, ...), newest first, with their charge and refund state.
 * The upstream's task id is an internal detail and is not shown; the public id is.
 */
public final class TaskHandlers {

    private final TaskStore tasks;
    private final Map<String, Family> families;

    TaskHandlers(AdminContext context) {
        this.tasks = new TaskStore(context.database());
        this.families = context.families().all().stream()
                .collect(Collectors.toMap(Family::name, Function.identity()));
    }

    void register(AdminRoutes routes) {
        routes.add(GET, "tasks", this::list)
                .add(GET, "tasks/summary", this::summary) // before tasks/{id}, which would take "summary" as an id
                .add(GET, "tasks/{id}", this::get);
    }

    /**
     * The {@code status} query parameter as a stored status name (any case accepted), or null when absent; the
     * admin and the self-service task listings both read it here.
     */
    public static String statusFilter(AdminCall call) {
        String status = call.query("status");
        if (status == null) {
            return null;
        }
        try {
            return TaskStatus.valueOf(status.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw Problems.invalid("status", status, "one of " + Arrays.stream(TaskStatus.values())
                    .map(TaskStatus::name).collect(Collectors.joining(", ")));
        }
    }

    private Future<Reply> summary(AdminCall call) {
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            long total = 0;
            for (TaskStore.Count count : tasks.countByFamilyAndStatus()) {
                data.addObject().put("family", count.family()).put("status", count.status()).put("tasks", count.tasks());
                total += count.tasks();
            }
            ObjectNode body = AdminJson.list(data);
            body.put("total", total);
            return Reply.ok(body);
        });
    }

    private Future<Reply> list(AdminCall call) {
        Long userId = call.queryLong("user_id", 1, Long.MAX_VALUE);
        String family = call.query("family");
        String statusFilter = statusFilter(call);
        int limit = call.limit();
        int offset = call.offset();
        return call.blocking(() -> {
            ArrayNode data = AdminJson.array();
            tasks.list(userId, family, statusFilter, limit, offset).forEach(t -> data.add(view(t)));
            return Reply.ok(AdminJson.page(data, limit, offset));
        });
    }

    private Future<Reply> get(AdminCall call) {
        String id = call.param("id");
        return call.blocking(() -> Reply.ok(view(tasks.find(id)
                .orElseThrow(() -> Problems.notFound("task", id, "the public id of a task")))));
    }

    private ObjectNode view(Task t) {
        Family family = families.get(t.family());
        return view(t, family == null ? null : family.adminFacts(t));
    }

    /** A task as the admin API shows it, with its family's facts (null: none). */
    public static ObjectNode view(Task t, ObjectNode facts) {
        ObjectNode node = AdminJson.object();
        node.put("id", t.publicId());
        node.put("family", t.family());
        node.put("action", t.action());
        node.put("mode", t.mode());
        node.put("user_id", t.userId());
        node.put("key_id", t.keyId());
        node.put("channel_id", t.channelId());
        node.put("status", t.status().name());
        node.put("progress", t.progress());
        node.put("fail_reason", t.failReason());
        AdminJson.putUsd(node, "cost", t.costNanos());
        node.put("units", t.charge().units());
        node.put("charge_state", t.charge().chargeState());
        node.put("refund_state", t.charge().refundState());
        node.put("settle_state", t.charge().settleState());
        node.put("has_webhook", t.notifyHook() != null);
        if (facts == null) {
            node.putNull("facts");
        } else {
            node.set("facts", facts);
        }
        AdminJson.putTime(node, "submitted_at", t.submittedAt());
        AdminJson.putTime(node, "started_at", t.startedAt());
        AdminJson.putTime(node, "finished_at", t.finishedAt());
        AdminJson.putTime(node, "updated_at", t.updatedAt());
        AdminJson.putTime(node, "deleted_at", t.deletedAt());
        return node;
    }
}
