package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Principal;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskRefresh;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.Tasks;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The free routes, logged at zero cost: {@code GET /replicate/v1/predictions/{id}} — the caller's own prediction
 * (another user's is a 404 like an unknown one), refreshed once from the upstream while unfinished —,
 * {@code POST /replicate/v1/predictions/{id}/cancel} — asks the upstream to cancel an unfinished prediction and
 * applies its answer through the engine (a cancellation refunds the charge once; a finished prediction is answered as
 * it is) — and {@code GET /replicate/v1/webhooks/default/secret}, the caller's webhook signing secret.
 */
final class ReplicateQueries {

    private final FamilyContext context;
    private final Tasks tasks;
    private final ReplicateTasks family;
    private final WebhookSigner signer;

    ReplicateQueries(FamilyContext context, ReplicateTasks family, WebhookSigner signer) {
        this.context = requireNonNull(context, "context");
        this.tasks = context.tasks();
        this.family = requireNonNull(family, "family");
        this.signer = requireNonNull(signer, "signer");
    }

    void get(Exchange ex, String id) {
        authed(ex, principal -> {
            TaskRefresh.Refreshed refreshed = tasks.refresh().refresh(own(principal, id), family::fetch);
            log(ex, principal, "replicate.get", refreshed.channelId(), refreshed.error());
            return PredictionView.of(refreshed.task(), family::link);
        });
    }

    void cancel(Exchange ex, String id) {
        authed(ex, principal -> {
            Task task = own(principal, id);
            Long channelId = null;
            if (!task.status().terminal()) {
                Channel channel = context.relay().services().channels().find(task.channelId())
                        .orElseThrow(() -> new GatewayException(502, ErrorKind.UPSTREAM, "channel_gone", "prediction: "
                                + id + " (expected: its channel to exist still, to cancel it there)"));
                channelId = channel.id();
                JsonNode prediction = family.cancel(channel, task);
                TaskUpdate update = ReplicateTasks.update(task, prediction);
                if (update != null) {
                    tasks.engine().apply(task, update);
                }
                task = tasks.store().find(task.id()).orElse(task);
            }
            log(ex, principal, "replicate.cancel", channelId, null);
            return PredictionView.of(task, family::link);
        });
    }

    void secret(Exchange ex) {
        authed(ex, principal -> {
            ObjectNode body = Json.object();
            body.put("key", signer.secretOf(principal.user().id()));
            return body;
        });
    }

    private Task own(Principal principal, String id) {
        return tasks.store().find(id)
                .filter(t -> t.userId() == principal.user().id() && t.family().equals(ReplicateTasks.FAMILY))
                .orElseThrow(() -> GatewayException.notFound("prediction_not_found", "prediction: " + id
                        + " (expected: the id of one of your predictions)"));
    }

    private void authed(Exchange ex, Function<Principal, ObjectNode> work) {
        context.relay().authenticated(ClientKey.of(ex.request()), principal -> work.apply(principal))
                .onSuccess(body -> ex.json(200, Buffer.buffer(Json.bytes(body))))
                .onFailure(ex::fail);
    }

    private void log(Exchange ex, Principal principal, String endpoint, Long channelId, String error) {
        tasks.reads().log(ex.requestId(), principal.user().id(), principal.key().id(), endpoint, ReplicateTasks.FAMILY,
                channelId, 200, ex.elapsedMillis(), "complete", error);
    }
}
