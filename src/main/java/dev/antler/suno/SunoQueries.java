package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.relay.BodyReader;
import dev.antler.relay.Operation;
import dev.antler.relay.Relay;
import dev.antler.relay.RelayServices;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskEngine;
import dev.antler.tasks.TaskReads;
import dev.antler.tasks.TaskRefresh;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free read routes of a Suno or Udio family: authenticated (no balance needed), for the caller's own tasks
 * only (another user's is a 404, like an unknown one), logged at zero cost as {@code <family>.fetch} and
 * {@code suno.fetch_batch}. A single fetch of an unfinished task asks its upstream once first; a batch is answered
 * from the store, which the poller keeps current. Neither shows the upstream's ids or account fields.
 */
final class SunoQueries {

    private final String family;
    private final Relay relay;
    private final RelayServices services;
    private final ExecutorService blocking;
    private final TaskEngine engine;
    private final TaskRefresh refresh;
    private final TaskReads reads;
    private final TaskRefresh.Fetch upstreamView;
    private final Function<Task, ObjectNode> single;

    /** @param single the {@code {"code":"success","data":<task>}} answer to a single fetch */
    SunoQueries(String family, FamilyContext context, TaskRefresh.Fetch upstreamView,
                Function<Task, ObjectNode> single) {
        this.family = requireNonNull(family, "family");
        this.relay = context.relay();
        this.services = relay.services();
        this.blocking = context.blocking();
        this.engine = context.tasks().engine();
        this.refresh = context.tasks().refresh();
        this.reads = context.tasks().reads();
        this.upstreamView = requireNonNull(upstreamView, "upstreamView");
        this.single = requireNonNull(single, "single");
    }

    /** {@code GET /<family>/fetch/{id}}. */
    void fetch(Exchange ex, String publicId) {
        authed(ex, Operation.BodyKind.NONE, (principal, body) -> fetch(principal, publicId, ex));
    }

    /** {@code POST /suno/fetch {"ids":[...], "action":"MUSIC"|"LYRICS"}}: the caller's tasks among them. */
    void batch(Exchange ex) {
        authed(ex, Operation.BodyKind.JSON, (principal, body) -> batch(principal, body, ex));
    }

    private byte[] fetch(Principal principal, String publicId, Exchange ex) {
        Task task = engine.store().find(publicId)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(family))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "task_id: " + publicId
                        + " (expected: the id of one of your " + family + " tasks)"));
        TaskRefresh.Refreshed refreshed = refresh.refresh(task, upstreamView);
        log(ex, principal, family + ".fetch", refreshed.channelId(), refreshed.error());
        return Json.bytes(single.apply(refreshed.task()));
    }

    private byte[] batch(Principal principal, ObjectNode body, Exchange ex) {
        SunoFetchQuery query = SunoFetchQuery.of(body);
        List<Task> tasks = new ArrayList<>();
        for (String id : query.ids()) {
            engine.store().find(id)
                    .filter(t -> t.userId() == principal.user().id() && t.family().equals(family))
                    .filter(t -> query.action() == null || query.action().equals(t.action()))
                    .ifPresent(tasks::add);
        }
        log(ex, principal, family + ".fetch_batch", null, null);
        return Json.bytes(SunoTaskView.batch(tasks));
    }

    /** A usage row at zero cost; {@code channelId} the channel asked, null when the store alone answered. */
    private void log(Exchange ex, Principal principal, String endpoint, Long channelId, String error) {
        reads.log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint, family, channelId, 200,
                ex.elapsedMillis(), "complete", error);
    }

    /** Authenticates, reads the JSON body (if any), then runs {@code work} on a blocking thread; answers 200. */
    private void authed(Exchange ex, Operation.BodyKind kind, BiFunction<Principal, ObjectNode, byte[]> work) {
        ex.request().pause();
        Context context = services.vertx().getOrCreateContext();
        relay.authenticate(ClientKey.of(ex.request()))
                .compose(principal -> BodyReader.read(services.vertx(), ex.request(), kind, services.limits().body(),
                                services.spoolDirectory())
                        .compose(body -> Future.<byte[]>fromCompletionStage(CompletableFuture.supplyAsync(() -> {
                            ObjectNode json = kind == Operation.BodyKind.JSON
                                    ? SunoSubmitOperation.object(body) : null;
                            if (kind == Operation.BodyKind.JSON && json == null) {
                                throw GatewayException.badRequest("invalid_json", "body: missing (expected: a JSON "
                                        + "object such as {\"ids\": [\"<task id>\"]})");
                            }
                            return work.apply(principal, json);
                        }, blocking), context).onComplete(done -> body.discard())))
                .onSuccess(answer -> ex.json(200, Buffer.buffer(answer)))
                .onFailure(ex::fail);
    }
}
