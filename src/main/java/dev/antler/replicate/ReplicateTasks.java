package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Replicate for the task engine: one {@code GET {base}/v1/predictions/{upstream id}} per task, under the channel's
 * timeouts; 429 backs the channel off. A change is stored with the webhook events it makes ({@link WebhookEvents});
 * a look that finds nothing new stores nothing. A success is settled on what was made: the images in
 * {@code output} for a model priced per image, the seconds of {@code metrics.predict_time} (rounded up, at most those
 * held) for one priced per second. Webhooks go only for the events the client chose, signed ({@link WebhookSigner}).
 */
final class ReplicateTasks implements OneByOne {

    static final String FAMILY = "replicate";
    private static final Pattern VIDEO = Pattern.compile("(?i)\\.(mp4|webm|mov|m4v)(\\?|$)");

    private final TaskUpstream upstream;
    private final WebhookSigner signer;
    private final TaskResults results;

    ReplicateTasks(TaskUpstream upstream, WebhookSigner signer, TaskResults results) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.signer = requireNonNull(signer, "signer");
        this.results = requireNonNull(results, "results");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        TaskUpstream.Reply reply = call(channel, "GET", "/v1/predictions/" + task.upstreamId());
        if (reply.status() == 429) {
            throw new UpstreamBusy("channel " + channel.name() + " answered 429");
        }
        JsonNode prediction = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
        return prediction == null ? null : update(task, prediction);
    }

    /** Asks the upstream to cancel {@code task}: its answer (the prediction), or a 502/429 saying why not. */
    JsonNode cancel(Channel channel, Task task) {
        TaskUpstream.Reply reply = call(channel, "POST", "/v1/predictions/" + task.upstreamId() + "/cancel");
        JsonNode prediction = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
        if (prediction == null) {
            throw new GatewayException(reply.status() == 429 ? 429 : 502, ErrorKind.UPSTREAM, "upstream_error",
                    "upstream: HTTP " + reply.status() + " to the cancel (expected: 200 with the prediction)");
        }
        return prediction;
    }

    private TaskUpstream.Reply call(Channel channel, String method, String path) {
        return upstream.call(channel, method, channel.url(path), Map.of(ReplicateFamily.CHANNEL_TYPE.auth().name(),
                ReplicateFamily.CHANNEL_TYPE.auth().value(channel)), method.equals("POST") ? new byte[0] : null);
    }

    /**
     * {@code task}'s update from the upstream's {@code prediction}, or null when it says nothing new (or a status
     * Replicate does not document).
     */
    static TaskUpdate update(Task task, JsonNode prediction) {
        String word = prediction.path("status").asString("");
        TaskStatus status = ReplicateStatus.toTask(word);
        if (status == null) {
            return null;
        }
        JsonNode before = ReplicateFacts.payload(task);
        String wordBefore = before.path("status").asString(ReplicateStatus.toReplicate(task.status()));
        List<String> events = WebhookEvents.between(wordBefore, before.path("output"), before.path("logs").asString(""),
                word, prediction.path("output"), prediction.path("logs").asString(""));
        if (events.isEmpty() && status == task.status()) {
            return null;
        }
        String payload = Json.MAPPER.writeValueAsString(ReplicateFacts.reported(prediction, events));
        Long startedAt = millis(prediction.path("started_at"));
        return switch (status) {
            case SUCCESS -> {
                TaskUpdate done = new TaskUpdate(status, "100%", null, payload, startedAt);
                Long made = made(task, prediction);
                yield made == null ? done : done.withUnits(made);
            }
            case FAILURE -> new TaskUpdate(status, "100%", prediction.path("error").asString(word), payload, startedAt);
            case CANCEL -> new TaskUpdate(status, "100%", "canceled", payload, startedAt);
            case IN_PROGRESS -> new TaskUpdate(status, "50%", null, payload, startedAt);
            default -> new TaskUpdate(status, "0%", null, payload, startedAt);
        };
    }

    /** What a succeeded prediction made, in its billing unit; null when charged per prediction or not reported. */
    static Long made(Task task, JsonNode prediction) {
        return switch (ReplicateFacts.billing(task)) {
            case IMAGES -> {
                int files = ReplicateOutputs.urls(prediction.path("output")).size();
                yield files == 0 ? null : (long) files;
            }
            case SECONDS -> {
                JsonNode seconds = prediction.path("metrics").path("predict_time");
                yield seconds.isNumber() && seconds.asDouble() >= 0
                        ? Math.min((long) Math.ceil(seconds.asDouble()), task.charge().units()) : null;
            }
            case CALL -> null;
        };
    }

    private static Long millis(JsonNode iso) {
        if (!iso.isString()) {
            return null;
        }
        try {
            return Instant.parse(iso.asString()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(PredictionView.of(task, this::link));
    }

    /** The gateway's link to result file {@code n} of {@code task}: once it succeeded (the link serves it then). */
    String link(Task task, Integer n) {
        return task.status() == TaskStatus.SUCCESS ? results.link(task, n) : null;
    }

    /**
     * The upstream's result files of {@code task}: each URL in its {@code output} ({@link ReplicateOutputs}), a video
     * by its extension; one on the channel's own host (Replicate's file API) is fetched with the channel's key. None is
     * left out, so file n is the output's URL n whatever became of the channel.
     */
    static List<ResultFiles.ResultFile> files(Task task, Channel channel) {
        List<ResultFiles.ResultFile> files = new ArrayList<>();
        for (String url : ReplicateOutputs.urls(ReplicateFacts.payload(task).path("output"))) {
            ResultFiles.ResultFile file = VIDEO.matcher(url).find() ? ResultFiles.ResultFile.video(url)
                    : ResultFiles.ResultFile.image(url);
            if (channel != null && sameHost(url, channel.url("/"))) {
                file = file.withHeaders(Map.of(ReplicateFamily.CHANNEL_TYPE.auth().name(),
                        ReplicateFamily.CHANNEL_TYPE.auth().value(channel)));
            }
            files.add(file);
        }
        return files;
    }

    private static boolean sameHost(String url, String other) {
        try {
            String host = URI.create(url).getHost();
            return host != null && host.equalsIgnoreCase(URI.create(other).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether the client asked for a webhook on this change: the events it stored with ({@code completed} for a
     * final state reached without an upstream report: the timeout sweep) among those the client chose.
     */
    @Override
    public boolean webhookWanted(Task task) {
        JsonNode reported = ReplicateFacts.payload(task);
        boolean endedUnreported = task.status().terminal()
                && !ReplicateStatus.terminal(reported.path("status").asString(""));
        List<String> events = endedUnreported ? List.of(WebhookEvents.COMPLETED)
                : ReplicateFacts.strings(reported.path(ReplicateFacts.EVENTS));
        List<String> wanted = ReplicateFacts.strings(ReplicateFacts.of(task).path("events"));
        return events.stream().anyMatch(wanted::contains);
    }

    /** The Standard Webhooks signature of each webhook, with the task owner's key. */
    @Override
    public Map<String, String> webhookHeaders(Task task, byte[] body) {
        return signer.headers(task, body);
    }
}
