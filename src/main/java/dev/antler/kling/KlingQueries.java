package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.tasks.ResultLinks;
import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.RelayServices;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;

/**
 * The free reads: {@code GET /kling/v1/{videos|images}/{action}/{task_id}} — the caller's own task (another
 * user's is a 404 like an unknown one), refreshed once from the upstream while unfinished (through the engine, so
 * a completion it sees settles exactly as a poll would) — and the list form {@code GET .../{action}?pageNum=&pageSize=}
 * from the store (the caller's {@link #LIST_WINDOW} newest Kling tasks, newest first). Logged at zero cost.
 */
final class KlingQueries {

    static final int LIST_WINDOW = 1000;
    static final int MAX_PAGE_SIZE = 500;

    private final FamilyContext context;
    private final RelayServices services;
    private final Tasks tasks;
    private final KlingTasks family;

    KlingQueries(FamilyContext context, KlingTasks family) {
        this.context = requireNonNull(context, "context");
        this.services = context.relay().services();
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
    }

    void one(Exchange ex, KlingAction action, String taskId) {
        authed(ex, principal -> one(principal, action, taskId, ex));
    }

    void list(Exchange ex, KlingAction action) {
        int page = intParam(ex, "pageNum", 1, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int size = intParam(ex, "pageSize", 30, MAX_PAGE_SIZE);
        authed(ex, principal -> {
            List<Task> mine = tasks.store().list(principal.user().id(), KlingTasks.FAMILY, null, LIST_WINDOW, 0)
                    .stream().filter(t -> t.action().equals(action.path)).skip((long) (page - 1) * size)
                    .limit(size).toList();
            ArrayNode data = Json.MAPPER.createArrayNode();
            String base = base(ex);
            mine.forEach(t -> data.add(KlingTaskView.data(t, base)));
            log(ex, principal, "kling.list", null, null);
            return KlingTaskView.envelope(ex.requestId(), data);
        });
    }

    private tools.jackson.databind.node.ObjectNode one(Principal principal, KlingAction action, String taskId,
                                                       Exchange ex) {
        Task task = tasks.store().find(taskId)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(KlingTasks.FAMILY)
                        && t.action().equals(action.path))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "task_id: " + taskId
                        + " (expected: the id of one of your " + action.path + " tasks)"));
        TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(task, family::fetch);
        Task shown = refreshed.task();
        log(ex, principal, "kling.fetch", refreshed.channelId(), refreshed.error());
        return KlingTaskView.envelope(ex.requestId(), KlingTaskView.data(shown, base(ex)));
    }

    /** The base of the links in an answer to {@code ex}: the configured public base URL, else its host. */
    private String base(Exchange ex) {
        return ResultLinks.base(context.publicBaseUrl(), ex.request());
    }

    private void authed(Exchange ex, Function<Principal, tools.jackson.databind.node.ObjectNode> work) {
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> work.apply(principal))
                .onSuccess(body -> ex.json(200, Buffer.buffer(Json.bytes(body))))
                .onFailure(ex::fail);
    }

    private void log(Exchange ex, Principal principal, String endpoint, Long channelId, String error) {
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint, KlingTasks.FAMILY,
                channelId, 200, ex.elapsedMillis(), "complete", error);
    }

    private static int intParam(Exchange ex, String name, int fallback, int max) {
        String value = ex.request().getParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw KlingInput.bad(name, value, "an integer from 1 to " + max);
    }
}
