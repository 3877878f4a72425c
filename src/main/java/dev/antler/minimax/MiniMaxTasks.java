package dev.antler.minimax;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.relay.KeyMasker;
import dev.antler.routing.Channel;
import dev.antler.tasks.OneByOne;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MiniMax family for the task engine: one query per task (MiniMax has no batch query), under the channel's
 * timeouts; a 429 or code 1002 backs the channel off.
 * <ul>
 *   <li>V1: {@code GET /v1/query/video_generation?task_id=}; on {@code Success}, in the same fetch,
 *       {@code GET /v1/files/retrieve?file_id=} for the result's URL — the task succeeds only with it (a failed
 *       retrieve leaves the task as it was, for the next look). Priced per video: nothing to settle.</li>
 *   <li>V2: {@code GET /v2/query/video_generation/{task_id}}; a success is settled on its {@code usage}: the
 *       seconds MiniMax billed ({@code total_seconds}: output and reference video), at most those held.</li>
 * </ul>
 * What is kept of the upstream's answer is the task's payload, never shown as such ({@link MiniMaxView}).
 */
final class MiniMaxTasks implements OneByOne {

    static final String FAMILY = "minimax";

    /** A result URL older than this is asked for again before it is fetched (V1's last 9 hours, V2's less). */
    static final long FRESH_MS = 3_600_000;

    private final TaskUpstream upstream;
    private final TaskResults results;
    private final Clock clock;

    MiniMaxTasks(TaskUpstream upstream, TaskResults results, Clock clock) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.results = requireNonNull(results, "results");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return FAMILY;
    }

    @Override
    public TaskUpdate fetch(Channel channel, Task task) {
        return MiniMaxApi.ofMode(task.mode()) == MiniMaxApi.V1 ? v1(channel, task) : v2(channel, task);
    }

    private TaskUpdate v1(Channel channel, Task task) {
        MiniMaxCodes.Read read = get(channel, "/v1/query/video_generation?task_id=" + encode(task.upstreamId()));
        if (read == null) {
            return null;
        }
        JsonNode root = read.root();
        return switch (root.path("status").asString("")) {
            case "Preparing" -> new TaskUpdate(TaskStatus.SUBMITTED, "10%", null, null, null);
            case "Queueing" -> new TaskUpdate(TaskStatus.QUEUED, "30%", null, null, null);
            case "Processing" -> new TaskUpdate(TaskStatus.IN_PROGRESS, "50%", null, null, null);
            case "Fail", "Failed" -> TaskUpdate.failure(read.code() != null && read.code() != MiniMaxCodes.OK
                    ? MiniMaxReplies.said(read, 200) : "the video could not be made");
            case "Success" -> v1Success(channel, root);
            default -> null;
        };
    }

    /** The success of a V1 task with its file retrieved, or null when the retrieve failed. */
    private TaskUpdate v1Success(Channel channel, JsonNode query) {
        String fileId = query.path("file_id").asString("");
        MiniMaxCodes.Read read = fileId.isBlank() ? null
                : get(channel, "/v1/files/retrieve?file_id=" + encode(fileId));
        JsonNode file = read == null ? null : read.root().path("file");
        if (file == null || file.path("download_url").asString("").isBlank()) {
            return null;
        }
        ObjectNode payload = Json.object();
        payload.put("status", "Success");
        payload.put("file_id", fileId);
        payload.put("video_width", query.path("video_width").asInt(0));
        payload.put("video_height", query.path("video_height").asInt(0));
        ObjectNode kept = payload.putObject("file");
        kept.put("bytes", file.path("bytes").asLong(0));
        kept.put("download_url", file.path("download_url").asString());
        return new TaskUpdate(TaskStatus.SUCCESS, "100%", null, Json.MAPPER.writeValueAsString(payload), null);
    }

    private TaskUpdate v2(Channel channel, Task task) {
        MiniMaxCodes.Read read = get(channel, "/v2/query/video_generation/" + encode(task.upstreamId()));
        JsonNode t = read == null ? null : read.root().path("task");
        if (t == null || !t.isObject()) {
            return null;
        }
        String payload = Json.MAPPER.writeValueAsString(t);
        return switch (t.path("status").asString("")) {
            // Kept only once finished: a running task's answer changes at every look, and each change is a write
            // (and a webhook).
            case "queued" -> new TaskUpdate(TaskStatus.QUEUED, "10%", null, null, null);
            case "running" -> new TaskUpdate(TaskStatus.IN_PROGRESS, "50%", null, null, null);
            case "succeeded" -> {
                TaskUpdate done = new TaskUpdate(TaskStatus.SUCCESS, "100%", null, payload, null);
                Long billed = billedSeconds(t.path("usage"));
                yield billed == null ? done : done.withUnits(Math.min(billed, task.charge().units()));
            }
            case "failed", "expired" -> new TaskUpdate(TaskStatus.FAILURE, "100%", failure(t), payload, null);
            case "cancelled" -> new TaskUpdate(TaskStatus.CANCEL, "100%", "cancelled", payload, null);
            default -> null;
        };
    }

    /** The seconds MiniMax billed: {@code total_seconds}, else output and input seconds; null when not reported. */
    static Long billedSeconds(JsonNode usage) {
        if (usage.path("total_seconds").isIntegralNumber()) {
            return Math.max(0, usage.path("total_seconds").asLong());
        }
        if (usage.path("output_seconds").isIntegralNumber()) {
            return Math.max(0, usage.path("output_seconds").asLong() + usage.path("input_seconds").asLong(0));
        }
        return null;
    }

    private static String failure(JsonNode task) {
        String message = task.path("error").path("message").asString("");
        return message.isBlank() ? "the video could not be made" : KeyMasker.mask(message);
    }

    /** The upstream's answer to {@code GET path} when it is a 200 with no error code; null otherwise. */
    private MiniMaxCodes.Read get(Channel channel, String path) {
        TaskUpstream.Reply reply = upstream.call(channel, "GET", MiniMaxFamily.url(channel, path),
                Map.of(MiniMaxFamily.CHANNEL_TYPE.auth().name(), MiniMaxFamily.CHANNEL_TYPE.auth().value(channel)),
                null);
        MiniMaxCodes.Read read = MiniMaxCodes.read(reply.body());
        if (reply.status() == 429 || read.meaning(reply.status()) == MiniMaxCodes.Meaning.RATE_LIMITED) {
            throw new UpstreamBusy("channel " + channel.name() + " is rate limited (" + MiniMaxReplies.said(read,
                    reply.status()) + ")");
        }
        boolean fine = reply.status() == 200 && (read.code() == null || read.code() == MiniMaxCodes.OK);
        // A failed V1 task may carry its reason as an error code: the status says what it is.
        boolean failed = reply.status() == 200 && read.root().path("status").asString("").startsWith("Fail");
        return fine || failed ? read : null;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The result of a completed task ({@link dev.antler.tasks.ResultFiles}): the URL MiniMax last gave, asked for
     * again (V1: {@code files/retrieve}, V2: the query) when it is older than {@link #FRESH_MS} and the channel is
     * there, since MiniMax's links expire. Blocking.
     */
    List<ResultFiles.ResultFile> resultFiles(Task task, Channel channel) {
        boolean v1 = MiniMaxApi.ofMode(task.mode()) == MiniMaxApi.V1;
        JsonNode made = MiniMaxView.payload(task);
        String url = v1 ? made.path("file").path("download_url").asString("") : made.path("content").path("url")
                .asString("");
        if (url.isBlank()) {
            return List.of();
        }
        long finished = task.finishedAt() != null ? task.finishedAt() : task.updatedAt();
        if (channel != null && clock.millis() - finished > FRESH_MS) {
            try {
                MiniMaxCodes.Read read = v1 ? get(channel, "/v1/files/retrieve?file_id="
                        + encode(made.path("file_id").asString(""))) : get(channel, "/v2/query/video_generation/"
                        + encode(task.upstreamId()));
                String fresh = read == null ? "" : v1 ? read.root().path("file").path("download_url").asString("")
                        : read.root().path("task").path("content").path("url").asString("");
                url = fresh.isBlank() ? url : fresh;
            } catch (RuntimeException e) {
                // the last URL is tried
            }
        }
        return List.of(ResultFiles.ResultFile.video(url));
    }

    /**
     * A V1 task's webhook names only processing, success and failed (MiniMax's callback states): it is sent once the
     * task is processing and when it ends, not for each step before. V2's states are its query's: every change.
     */
    @Override
    public boolean webhookWanted(Task task) {
        return MiniMaxApi.ofMode(task.mode()) == MiniMaxApi.V2 || task.status() == TaskStatus.IN_PROGRESS
                || task.status().terminal();
    }

    @Override
    public byte[] render(Task task) {
        return Json.bytes(MiniMaxApi.ofMode(task.mode()) == MiniMaxApi.V1 ? MiniMaxView.v1Callback(task)
                : MiniMaxView.v2Task(task, results.link(task, 0)));
    }
}
