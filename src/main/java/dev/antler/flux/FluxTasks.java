package dev.antler.flux;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.security.BaseUrlGuard;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Flux family for the task engine: one {@code GET} of the task's polling URL per task ({@link FluxPolling}: BFL's
 * regional {@code polling_url}, kept at submit, the URL guard applied first) with the channel's {@code x-key},
 * under the channel's timeouts; 429 backs the channel off. BFL's words map by {@link FluxStatus}: a moderation or an
 * error ends the task and refunds it (once, by the engine). {@code Task not found} is no news for
 * {@link #NOT_FOUND_GRACE_MS} after the submit (a region may not know a task at once), then a failure. A success's
 * image is copied by the shared result links as soon as the engine applies it (mirroring on): BFL's link expires
 * in about 10 minutes, and every task is polled every round. Clients' webhooks are sent once finished, signed as
 * BFL signs them when the submit gave a {@code webhook_secret}.
 */
final class FluxTasks implements OneByOne {

    static final String FAMILY = "flux";
    static final long NOT_FOUND_GRACE_MS = 300_000;

    private final TaskUpstream upstream;
    private final BaseUrlGuard guard;
    private final TaskResults results;
    private final Clock clock;

    FluxTasks(TaskUpstream upstream, BaseUrlGuard guard, TaskResults results, Clock clock) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.guard = requireNonNull(guard, "guard");
        this.results = requireNonNull(results, "results");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    /** BFL's view of {@code task}, or null when it gave none; blocking. */
    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        JsonNode facts = facts(task);
        String url = FluxPolling.url(channel, facts.path("polling_url").asString(null), task.upstreamId());
        guard.refusal(url).ifPresent(refused -> {
            throw new GatewayException(502, ErrorKind.UPSTREAM, "polling_url_refused", "polling_url of task "
                    + task.publicId() + " (expected: " + refused + ")");
        });
        TaskUpstream.Reply reply = upstream.poll(channel, "GET", url,
                Map.of(FluxFamily.CHANNEL_TYPE.auth().name(), FluxFamily.CHANNEL_TYPE.auth().value(channel),
                        "Accept", "application/json"), null);
        JsonNode root = reply.status() == 200 || reply.status() == 404 ? Json.objectOrNull(reply.body()) : null;
        String word = root == null ? reply.status() == 404 ? FluxStatus.NOT_FOUND : null
                : root.path("status").asString(reply.status() == 404 ? FluxStatus.NOT_FOUND : "");
        return word == null || word.isEmpty() ? null : update(task, word, root == null ? Json.object() : root);
    }

    private TaskUpdate update(Task task, String word, JsonNode root) {
        TaskStatus status = FluxStatus.toTask(word);
        String payload = Json.MAPPER.writeValueAsString(root);
        if (status == null) { // Task not found
            return clock.millis() - task.submittedAt() < NOT_FOUND_GRACE_MS ? null
                    : new TaskUpdate(TaskStatus.FAILURE, "100%", "Task not found: the upstream no longer knows it",
                    payload, null);
        }
        return switch (status) {
            case SUCCESS -> new TaskUpdate(status, "100%", null, payload, null);
            case FAILURE -> new TaskUpdate(status, "100%", FluxStatus.MODERATED.contains(word) ? word
                    : "The generation failed (" + word + ")", payload, null);
            default -> new TaskUpdate(TaskStatus.IN_PROGRESS, progress(root.path("progress")), null, payload, null);
        };
    }

    /** BFL's {@code progress} (a fraction, or a percentage above 1) as a percentage; "0%" when it gives none. */
    private static String progress(JsonNode progress) {
        if (!progress.isNumber()) {
            return "0%";
        }
        double p = progress.asDouble();
        return Math.round(Math.max(0, Math.min(100, p <= 1 ? p * 100 : p))) + "%";
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(FluxTaskView.webhook(task, results::link));
    }

    /** BFL calls a webhook once, when the task is finished. */
    @Override
    public boolean webhookWanted(Task task) {
        return task.status().terminal();
    }

    @Override
    public Map<String, String> webhookHeaders(Task task, byte[] body) {
        String secret = facts(task).path("webhook_secret").asString("");
        return secret.isEmpty() ? Map.of() : Map.of(FluxSignature.HEADER, FluxSignature.of(secret, body));
    }

    static JsonNode facts(Task task) {
        ObjectNode facts = task.request() == null ? null
                : Json.objectOrNull(task.request().getBytes(StandardCharsets.UTF_8));
        return facts == null ? Json.object() : facts;
    }
}
