package dev.antler.runway;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import java.time.Instant;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task as Runway's clients read it ({@code GET /v1/tasks/{id}}, sdk-python {@code TaskRetrieveResponse}):
 * {@code {id, createdAt, status}} and, by status, {@code progress} (0 to 1, RUNNING), {@code output} (SUCCEEDED: the
 * gateway's links, never Runway's expiring URLs), {@code failure} and {@code failureCode} (FAILED: Runway's, or the
 * gateway's reason when it ended the task). The id is the gateway's.
 */
final class RunwayTaskView {

    private RunwayTaskView() {}

    static ObjectNode of(Task task, Links links) {
        ObjectNode root = Json.object();
        root.put("id", task.publicId());
        root.put("createdAt", Instant.ofEpochMilli(task.submittedAt()).toString());
        root.put("status", RunwayReport.runway(task.status()));
        RunwayReport report = RunwayReport.of(task);
        switch (task.status()) {
            case IN_PROGRESS, MODAL -> root.put("progress", progress(task));
            case SUCCESS -> {
                ArrayNode output = root.putArray("output");
                for (int n = 0; n < report.videos().size(); n++) {
                    String link = links.link(task, n);
                    if (link != null) {
                        output.add(link);
                    }
                }
            }
            case FAILURE -> {
                root.put("failure", task.failReason() != null ? task.failReason()
                        : report.failure() != null ? report.failure() : "the task failed");
                if (report.failureCode() != null && report.status() == TaskStatus.FAILURE) {
                    root.put("failureCode", report.failureCode());
                }
            }
            default -> { }
        }
        return root;
    }

    /** The stored progress ({@code 42%}) as Runway's fraction; 0 when none is known. */
    static double progress(Task task) {
        String stored = task.progress();
        if (stored == null || !stored.matches("\\d{1,3}(\\.\\d+)?%")) {
            return 0;
        }
        return Math.min(1, Double.parseDouble(stored.substring(0, stored.length() - 1)) / 100);
    }
}
