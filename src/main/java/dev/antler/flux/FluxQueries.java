package dev.antler.flux;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.family.FamilyContext;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /flux/v1/get_result?id=}: the caller's own task, refreshed once from BFL while unfinished (through the
 * engine, so a moderation seen here refunds exactly as a poll would), logged at zero cost. An id that is not one of
 * the caller's Flux tasks is a 404 whose body says {@code "status": "Task not found"}, as BFL's does.
 */
final class FluxQueries {

    private final FamilyContext context;
    private final Tasks tasks;
    private final FluxTasks family;

    FluxQueries(FamilyContext context, FluxTasks family) {
        this.context = requireNonNull(context, "context");
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
    }

    void getResult(Exchange ex) {
        String id = ex.request().getParam("id");
        if (id == null || id.isBlank()) {
            ex.fail(FluxErrorFormat.invalid("query", "id", "(missing)", "the id a submit answered"));
            return;
        }
        context.relay().authenticated(FluxFamily.clientKey(ex.request()), principal -> read(principal, id, ex))
                .onSuccess(answer -> ex.json(answer.status(), Buffer.buffer(Json.bytes(answer.body()))))
                .onFailure(ex::fail);
    }

    private record Answer(int status, ObjectNode body) {}

    private Answer read(Principal principal, String id, Exchange ex) {
        Task task = tasks.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(FluxTasks.FAMILY))
                .orElse(null);
        if (task == null) {
            log(ex, principal, null, "task not found", 404);
            ObjectNode body = Json.object().put("id", id).put("status", FluxStatus.NOT_FOUND);
            body.putNull("result");
            body.putNull("progress");
            body.put("detail", "id: " + id + " (expected: the id of one of your Flux tasks)");
            return new Answer(404, body);
        }
        TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(task, family::fetch);
        log(ex, principal, refreshed.channelId(), refreshed.error(), 200);
        return new Answer(200, FluxTaskView.result(refreshed.task(), tasks.results()::link));
    }

    private void log(Exchange ex, Principal principal, Long channelId, String error, int status) {
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), "flux.get_result",
                FluxTasks.FAMILY, channelId, status, ex.elapsedMillis(), "complete", error);
    }
}
