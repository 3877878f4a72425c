package dev.antler.clips;

import dev.antler.accounts.Principal;
import dev.antler.billing.Usage;
import dev.antler.billing.UsageRecord;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.relay.RelayServices;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.Tasks;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /clips/v1/videos/{id}}: the caller's own clip, refreshed from the upstream first while it is
 * unfinished (the refresh goes through the task engine, so a completion it sees settles the charge exactly as a
 * poll would). Free, logged at zero cost.
 */
final class ClipsFetch {

    private static final String BASE = "/clips/v1/videos/";

    private final FamilyContext context;
    private final RelayServices services;
    private final Tasks tasks;
    private final ClipsTasks family;

    ClipsFetch(FamilyContext context, ClipsTasks family) {
        this.context = context;
        this.services = context.relay().services();
        this.tasks = context.tasks();
        this.family = family;
    }

    void handle(Exchange ex) {
        String id = ex.request().path().substring(BASE.length());
        if (ex.request().method() != HttpMethod.GET || id.isEmpty() || id.contains("/")) {
            ex.fail(GatewayException.notFound("not_found", ex.request().method() + " " + ex.request().path()
                    + " (expected: GET " + BASE + "{id})"));
            return;
        }
        context.relay().authenticate(ClientKey.of(ex.request()))
                .compose(principal -> Future.fromCompletionStage(CompletableFuture.supplyAsync(
                        () -> read(principal, id, ex), context.blocking()), services.vertx().getOrCreateContext()))
                .onSuccess(body -> ex.json(200, body))
                .onFailure(ex::fail);
    }

    private Buffer read(Principal principal, String id, Exchange ex) {
        Task task = tasks.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(ClipsFamily.NAME))
                .orElseThrow(() -> GatewayException.notFound("task_not_found", "id: " + id
                        + " (expected: the id of one of your clips)"));
        Optional<Channel> channel = task.status().terminal() ? Optional.empty()
                : services.channels().all().stream().filter(c -> c.id() == task.channelId()).findFirst();
        String error = null;
        if (channel.isPresent()) {
            try {
                TaskUpdate update = family.fetch(channel.get(), task);
                if (update != null) {
                    tasks.engine().apply(task, update);
                }
            } catch (RuntimeException e) {
                error = "refresh: " + e.getMessage(); // the stored state still answers; the poller catches up
            }
        }
        services.ledger().settle(new UsageRecord(ex.requestId(), services.clock().millis(), principal.user().id(),
                principal.key().id(), "clips.fetch", ClipsFamily.MODEL, null, channel.map(Channel::id).orElse(null),
                200, false, Usage.NONE, 0, ex.elapsedMillis(), null, "complete", "none", channel.isPresent() ? 1 : 0,
                error));
        return Buffer.buffer(family.render(tasks.store().find(task.id()).orElse(task)));
    }
}
