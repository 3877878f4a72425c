package dev.antler.flux;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Flux task as BFL's clients see it, always with the gateway's task id and links, never BFL's id, host or
 * signed URL: the submit's answer {@code {id, polling_url, cost, input_mp?, output_mp?}} (the polling URL the
 * gateway's own {@code GET /flux/v1/get_result}; {@code cost} what the gateway charged, in BFL's credits of
 * USD 0.01), the result {@code {id, status, result, progress}} and the webhook BFL would send.
 */
final class FluxTaskView {

    static final String GET_RESULT = "/flux/v1/get_result";
    /** The fields of BFL's {@code result} shown besides {@code sample}. */
    private static final List<String> RESULT_FIELDS = List.of("prompt", "seed", "start_time", "end_time", "duration");
    private static final BigDecimal NANOS_PER_CREDIT = BigDecimal.valueOf(10_000_000L);

    private FluxTaskView() {}

    /** The submit's answer: {@code upstream} is BFL's answer (its {@code input_mp}/{@code output_mp} are kept). */
    static ObjectNode answer(Task task, String base, JsonNode upstream) {
        ObjectNode root = Json.object();
        root.put("id", task.publicId());
        root.put("polling_url", pollingUrl(base, task.publicId()));
        root.put("cost", BigDecimal.valueOf(task.costNanos()).divide(NANOS_PER_CREDIT).stripTrailingZeros());
        for (String field : List.of("input_mp", "output_mp")) {
            if (upstream.path(field).isNumber()) {
                root.set(field, upstream.get(field));
            }
        }
        return root;
    }

    static String pollingUrl(String base, String taskId) {
        return base + GET_RESULT + "?id=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    }

    /**
     * {@code GET /flux/v1/get_result}'s answer: {@code result} once Ready (its {@code sample} the gateway's link),
     * else null; {@code progress} as BFL last said while Pending.
     */
    static ObjectNode result(Task task, BiFunction<Task, Integer, String> links) {
        JsonNode reported = reported(task);
        ObjectNode root = Json.object();
        root.put("id", task.publicId());
        root.put("status", FluxStatus.toBfl(task, reported.path("status").asString("")));
        if (task.status() == TaskStatus.SUCCESS) {
            ObjectNode result = root.putObject("result");
            result.put("sample", links.apply(task, 0));
            copy(reported.path("result"), result, RESULT_FIELDS);
        } else {
            root.putNull("result");
        }
        JsonNode progress = reported.path("progress");
        if (!task.status().terminal() && progress.isNumber()) {
            root.set("progress", progress);
        } else {
            root.putNull("progress");
        }
        return root;
    }

    /**
     * The webhook BFL sends when a task is finished: {@code {id, status: "Ready", result: {sample, prompt, seed},
     * timestamp}}, or {@code {id, status: "Error", error, message, timestamp}} (a moderation's error is
     * {@code content_policy_violation}, as in BFL's guide).
     */
    static ObjectNode webhook(Task task, BiFunction<Task, Integer, String> links) {
        JsonNode reported = reported(task);
        ObjectNode root = Json.object();
        root.put("id", task.publicId());
        if (task.status() == TaskStatus.SUCCESS) {
            root.put("status", FluxStatus.READY);
            ObjectNode result = root.putObject("result");
            result.put("sample", links.apply(task, 0));
            copy(reported.path("result"), result, List.of("prompt", "seed"));
        } else {
            String word = FluxStatus.toBfl(task, reported.path("status").asString(""));
            boolean moderated = FluxStatus.MODERATED.contains(word);
            root.put("status", FluxStatus.ERROR);
            root.put("error", moderated ? "content_policy_violation" : "generation_failed");
            root.put("message", moderated ? "The " + (word.equals(FluxStatus.REQUEST_MODERATED) ? "request" : "image")
                    + " was moderated (" + word + ")" : task.failReason() == null ? "The generation failed"
                    : task.failReason());
        }
        long at = task.finishedAt() != null ? task.finishedAt() : task.updatedAt();
        root.put("timestamp", Instant.ofEpochMilli(at).truncatedTo(ChronoUnit.SECONDS).toString());
        return root;
    }

    /** The result file of a Ready task: BFL's {@code result.sample}, a public signed link (about 10 min). */
    static List<ResultFiles.ResultFile> resultFiles(Task task, Channel channel) {
        String sample = reported(task).path("result").path("sample").asString("");
        return sample.isBlank() ? List.of() : List.of(ResultFiles.ResultFile.image(sample));
    }

    /** BFL's last {@code get_result} answer about {@code task} (an empty object before the first). */
    private static JsonNode reported(Task task) {
        ObjectNode payload = task.payload() == null ? null
                : Json.objectOrNull(task.payload().getBytes(StandardCharsets.UTF_8));
        return payload == null ? Json.object() : payload;
    }

    private static void copy(JsonNode from, ObjectNode to, List<String> fields) {
        for (String field : fields) {
            if (from.has(field)) {
                to.set(field, from.get(field));
            }
        }
    }
}
