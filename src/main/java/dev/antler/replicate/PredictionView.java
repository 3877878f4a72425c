package dev.antler.replicate;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.time.Instant;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task as Replicate's clients see it, the Prediction object: the gateway's id; {@code model} and {@code version}
 * as the client named them ({@code "hidden"} when it pinned no version: the upstream's version says nothing the
 * client needs); {@code input} as given; {@code output} with every file URL replaced by the gateway's result link
 * (null until there is one); {@code logs}, {@code error}, {@code data_removed} and numeric {@code metrics} from the
 * upstream's last report; times in ISO-8601 UTC; {@code urls} only {@code get} and {@code cancel} on the gateway
 * ({@code stream} and {@code web} are Replicate's own pages, not served here).
 */
final class PredictionView {

    static final String HIDDEN_VERSION = "hidden";

    private PredictionView() {}

    /**
     * @param link the gateway's link to result file n of a task, or null when it has none
     */
    static ObjectNode of(Task task, BiFunction<Task, Integer, String> link) {
        JsonNode facts = ReplicateFacts.of(task);
        JsonNode reported = ReplicateFacts.payload(task);
        ObjectNode p = Json.object();
        p.put("id", task.publicId());
        p.put("model", facts.path("model").asString(""));
        p.put("version", facts.path("version").isString() ? facts.path("version").asString() : HIDDEN_VERSION);
        p.set("input", facts.path("input").isObject() ? facts.get("input") : Json.object());
        p.put("logs", reported.path("logs").isString() ? reported.path("logs").asString() : "");
        JsonNode output = reported.path("output");
        if (output.isMissingNode() || output.isNull()) {
            p.putNull("output");
        } else {
            p.set("output", ReplicateOutputs.rewrite(output, n -> link.apply(task, n)));
        }
        p.put("data_removed", reported.path("data_removed").asBoolean(false));
        if (task.status() == TaskStatus.FAILURE) {
            p.put("error", task.failReason() == null ? "failed" : task.failReason());
        } else {
            p.putNull("error");
        }
        p.put("source", "api");
        p.put("status", ReplicateStatus.toReplicate(task.status()));
        p.put("created_at", iso(task.submittedAt()));
        if (task.startedAt() != null) {
            p.put("started_at", iso(task.startedAt()));
        }
        if (task.status().terminal() && task.finishedAt() != null) {
            p.put("completed_at", iso(task.finishedAt()));
        }
        String base = facts.path("base").asString("");
        ObjectNode urls = p.putObject("urls");
        urls.put("get", base + ReplicateFamily.PREDICTIONS + "/" + task.publicId());
        urls.put("cancel", base + ReplicateFamily.PREDICTIONS + "/" + task.publicId() + "/cancel");
        ObjectNode metrics = Json.object();
        reported.path("metrics").properties().forEach(e -> {
            if (e.getValue().isNumber()) {
                metrics.set(e.getKey(), e.getValue());
            }
        });
        if (!metrics.isEmpty()) {
            p.set("metrics", metrics);
        }
        return p;
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
