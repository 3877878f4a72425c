package dev.antler.pika;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;

/**
 * {@code GET /pika/feed/{id}}, free: the caller's own task (another user's is a 404 like an unknown one), refreshed
 * once from the relay while unfinished (through the engine, so money moves exactly as on a poll), logged at zero
 * cost.
 */
final class PikaQueries {

    private final FamilyContext context;
    private final Tasks tasks;
    private final PikaTasks family;

    PikaQueries(FamilyContext context, PikaTasks family) {
        this.context = requireNonNull(context, "context");
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
    }

    void feed(Exchange ex, String id) {
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> feed(principal, id, ex))
                .onSuccess(body -> ex.json(200, Buffer.buffer(body)))
                .onFailure(ex::fail);
    }

    private byte[] feed(Principal principal, String id, Exchange ex) {
        Task task = tasks.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(PikaTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "id: " + id
                        + " (expected: the id of one of your Pika tasks)"));
        TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(task, family::fetch);
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), "pika.feed", PikaTasks.FAMILY,
                refreshed.channelId(), 200, ex.elapsedMillis(), "complete", refreshed.error());
        return Json.bytes(PikaView.feed(refreshed.task(), ResultLinks.base(context.publicBaseUrl(), ex.request())));
    }
}
