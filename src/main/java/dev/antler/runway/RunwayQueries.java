package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.BodyReader;
import dev.antler.relay.Operation;
import dev.antler.relay.RelayServices;
import dev.antler.relay.RequestBody;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import dev.antler.tasks.Tasks;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free routes on the caller's own Runway tasks (another user's, or one asked in the other format, is a 404 like
 * an unknown one), logged at zero cost. Reads refresh an unfinished task from its upstream once first (through the
 * engine: a completion seen here settles exactly as a poll would).
 * <ul>
 *   <li>{@code GET /runway/v1/tasks/{id}}: the task object;</li>
 *   <li>{@code DELETE /runway/v1/tasks/{id}}: as Runway's — an unfinished task is cancelled upstream and becomes
 *       CANCELLED, refunded in full; a finished one is deleted (upstream too) and no longer found. 204;</li>
 *   <li>{@code POST /runway/feed {"task_id"}}: a reverse-format task in DeerAPI's envelope.</li>
 * </ul>
 */
final class RunwayQueries {

    private final FamilyContext context;
    private final RelayServices services;
    private final Tasks tasks;
    private final RunwayTasks family;
    private final TaskUpstream upstream;
    private final Links links;

    RunwayQueries(FamilyContext context, RunwayTasks family, Links links) {
        this.context = requireNonNull(context, "context");
        this.services = context.relay().services();
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
        this.upstream = context.taskUpstream();
        this.links = requireNonNull(links, "links");
    }

    /** {@code GET /runway/v1/tasks/{id}}. */
    void retrieve(Exchange ex, String id) {
        authed(ex, principal -> {
            TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(own(principal, id, RunwayTasks.OFFICIAL_MODE),
                    family::fetch);
            log(ex, principal, "runway.tasks.retrieve", refreshed.task(), refreshed.channelId(), refreshed.error());
            return Json.bytes(RunwayTaskView.of(refreshed.task(), links));
        }, 200);
    }

    /**
     * {@code DELETE /runway/v1/tasks/{id}}. The task is refreshed first, so one that finished meanwhile is deleted,
     * not cancelled (and not refunded). Runway does not document whether a task cancelled while RUNNING costs
     * credits; the gateway refunds its client in full for any cancel (the engine's CANCEL). An upstream that will not
     * cancel (an error answer, unreachable) leaves the task as it was and answers the error.
     */
    void delete(Exchange ex, String id) {
        authed(ex, principal -> {
            TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(own(principal, id, RunwayTasks.OFFICIAL_MODE),
                    family::fetch);
            Task task = refreshed.task();
            Channel channel = services.channels().find(task.channelId()).orElse(null);
            if (channel != null && RunwayFamily.OFFICIAL.name().equals(channel.type())) {
                TaskUpstream.Reply reply = upstream.call(channel, "DELETE",
                        channel.url("/v1/tasks/" + task.upstreamId()), Map.of(RunwayFamily.OFFICIAL.auth().name(),
                                RunwayFamily.OFFICIAL.auth().value(channel), RunwayInput.VERSION_HEADER,
                                RunwayTasks.version(task)), null);
                int status = reply.status();
                if (status / 100 != 2 && status != 404) {
                    throw new GatewayException(status == 429 ? 429 : 502, ErrorKind.UPSTREAM, "upstream_error",
                            "task_id: " + id + ": upstream HTTP " + status + " to the cancel (expected: 204; the task "
                            + "is unchanged)");
                }
            } else if (!task.status().terminal()) {
                throw new GatewayException(409, ErrorKind.INVALID_REQUEST, "not_cancellable", "task_id: " + id
                        + " (expected: a task on a channel that can cancel it; this one's cannot be reached)");
            }
            if (task.status().terminal()) {
                tasks.store().markDeleted(task.id(), services.clock().millis());
            } else {
                tasks.engine().apply(task, new TaskUpdate(TaskStatus.CANCEL, task.progress(), "cancelled by its owner",
                        null, null));
            }
            log(ex, principal, "runway.tasks.delete", task, channel == null ? null : channel.id(), refreshed.error());
            return null;
        }, 204);
    }

    /** {@code POST /runway/feed {"task_id": ...}}. */
    void feed(Exchange ex) {
        ex.request().pause();
        relayed(ex, principal -> BodyReader.read(services.vertx(), ex.request(), Operation.BodyKind.JSON,
                services.limits().body(), services.spoolDirectory()).compose(body -> blocking(() -> {
                    try {
                        ObjectNode ask = body instanceof RequestBody.InMemory memory
                                ? Json.objectOrNull(memory.bytes()) : null;
                        JsonNode id = ask == null ? null : ask.path("task_id");
                        if (id == null || !id.isString() || id.asString().isBlank()) {
                            throw BadField.of("task_id", id == null ? "(no JSON object)" : id,
                                    "the task_id of one of your tasks, as {\"task_id\": \"...\"}");
                        }
                        TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(
                                own(principal, id.asString(), RunwayTasks.COMPAT_MODE), family::fetch);
                        log(ex, principal, "runway.feed", refreshed.task(), refreshed.channelId(), refreshed.error());
                        return Json.bytes(CompatView.envelope(CompatView.data(refreshed.task(), links),
                                ex.elapsedMillis() / 1000.0));
                    } finally {
                        body.discard();
                    }
                })), 200);
    }

    /** The caller's own task {@code id} asked in {@code mode}, not deleted; a 404 otherwise. */
    private Task own(Principal principal, String id, String mode) {
        return tasks.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(RunwayTasks.FAMILY)
                        && mode.equals(t.mode()) && !t.deleted())
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "task_id: " + id
                        + " (expected: the id of one of your tasks)"));
    }

    private void log(Exchange ex, Principal principal, String endpoint, Task task, Long channelId, String error) {
        JsonNode facts = task.request() == null ? Json.object() : Json.MAPPER.readTree(task.request());
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint,
                facts.path("model").asString(RunwayTasks.FAMILY), channelId, 200, ex.elapsedMillis(), "complete", error);
    }

    /** Authenticates, then runs {@code work} on a blocking thread; answers {@code status} with its JSON (or nothing). */
    private void authed(Exchange ex, Function<Principal, byte[]> work, int status) {
        relayed(ex, principal -> blocking(() -> work.apply(principal)), status);
    }

    private void relayed(Exchange ex, Function<Principal, Future<byte[]>> work, int status) {
        context.relay().authenticate(ClientKey.of(ex.request())).compose(work::apply)
                .onSuccess(answer -> {
                    if (answer == null) {
                        ex.response().setStatusCode(status).end();
                    } else {
                        ex.json(status, Buffer.buffer(answer));
                    }
                })
                .onFailure(ex::fail);
    }

    private <T> Future<T> blocking(java.util.function.Supplier<T> work) {
        return Future.fromCompletionStage(CompletableFuture.supplyAsync(work, context.blocking()),
                services.vertx().getOrCreateContext());
    }
}
