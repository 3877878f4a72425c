package dev.antler.minimax;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free reads, each of the caller's own MiniMax task only (another user's, or one of the other API, is a 404 like
 * an unknown one), refreshed once from the upstream while unfinished (through the engine, so a completion seen here
 * settles exactly as a poll's would), logged at zero cost:
 * <ul>
 *   <li>{@code GET /minimax/v1/query/video_generation?task_id=} — V1's query answer;</li>
 *   <li>{@code GET /minimax/v1/files/retrieve?file_id=} — a finished V1 video (its file id is its task id), with
 *       {@code download_url} the gateway's result link;</li>
 *   <li>{@code GET /minimax/v2/query/video_generation/{task_id}} — V2's {@code {task: ...}}.</li>
 * </ul>
 */
final class MiniMaxQueries {

    private final FamilyContext context;
    private final Tasks tasks;
    private final MiniMaxTasks family;

    MiniMaxQueries(FamilyContext context, MiniMaxTasks family) {
        this.context = requireNonNull(context, "context");
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
    }

    /** What a read answers, and the refresh it made (for the log). */
    private record Answer(ObjectNode body, TaskRefresh.Refreshed refreshed) {}

    void v1Query(Exchange ex) {
        String id = ex.request().getParam("task_id");
        authed(ex, "minimax.v1.query", principal -> {
            TaskRefresh.Refreshed found = own(principal, MiniMaxApi.V1, param("task_id", id,
                    "the task_id of one of your video_generation tasks"), "task_id");
            return new Answer(MiniMaxView.v1Query(found.task()), found);
        });
    }

    void v1File(Exchange ex) {
        String id = ex.request().getParam("file_id");
        authed(ex, "minimax.v1.files.retrieve", principal -> {
            String expected = "the file_id of one of your finished videos";
            TaskRefresh.Refreshed found = own(principal, MiniMaxApi.V1, param("file_id", id, expected), "file_id");
            if (found.task().status() != TaskStatus.SUCCESS) {
                throw notFound("file_id", id, expected);
            }
            return new Answer(MiniMaxView.v1File(found.task(), tasks.results().link(found.task(), 0)), found);
        });
    }

    void v2Query(Exchange ex, String id) {
        authed(ex, "minimax.v2.query", principal -> {
            TaskRefresh.Refreshed found = own(principal, MiniMaxApi.V2, id, "task_id");
            return new Answer(MiniMaxView.v2Task(found.task(), tasks.results().link(found.task(), 0)), found);
        });
    }

    /** The caller's task {@code id} of {@code api}, refreshed once while unfinished; blocking. */
    private TaskRefresh.Refreshed own(Principal principal, MiniMaxApi api, String id, String field) {
        Task task = (MiniMaxIds.plausible(id) ? tasks.store().find(id) : Optional.<Task>empty())
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(MiniMaxTasks.FAMILY)
                        && MiniMaxApi.ofMode(t.mode()) == api && !t.deleted())
                .orElseThrow(() -> notFound(field, id, "the " + field + " of one of your " + api.mode
                        + " video_generation tasks"));
        return tasks.refresh().refresh(task, family::fetch);
    }

    private void authed(Exchange ex, String endpoint, Function<Principal, Answer> work) {
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> {
                    Answer answer = work.apply(principal);
                    tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint,
                            MiniMaxTasks.FAMILY, answer.refreshed().channelId(), 200, ex.elapsedMillis(), "complete",
                            answer.refreshed().error());
                    return answer.body();
                })
                .onSuccess(body -> ex.json(200, Buffer.buffer(Json.bytes(body))))
                .onFailure(ex::fail);
    }

    /** A query parameter's {@code value}: a 400 when it is missing. */
    private static String param(String name, String value, String expected) {
        if (value == null || value.isBlank()) {
            throw MiniMaxInput.bad(name, "(missing)", expected);
        }
        return value;
    }

    private static GatewayException notFound(String field, String id, String expected) {
        String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return GatewayException.notFound("task_not_found", field + ": " + shown + " (expected: " + expected + ")");
    }
}
