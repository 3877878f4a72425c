package dev.antler.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskStore;
import dev.antler.testing.GatewayHarness;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/admin/tasks/summary}: every task counted by family and status with one grouped query, and the
 * task listings' {@code status} parameter read by one parser.
 */
class TaskSummaryTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        gw = GatewayHarness.start("users: [{ name: tasker, balance: 1 }]\n");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void countsEveryTaskByFamilyAndStatus() {
        assertThat(summary().path("data")).isEmpty();
        assertThat(summary().path("total").asLong()).isZero();

        long owner = get("/api/admin/users").path("data").get(0).path("id").asLong();
        TaskStore tasks = new TaskStore(gw.gateway().database());
        insert(tasks, owner, "midjourney", TaskStatus.SUCCESS, 3);
        insert(tasks, owner, "midjourney", TaskStatus.FAILURE, 2);
        insert(tasks, owner, "suno", TaskStatus.CANCEL, 1); // terminal statuses only: the poller leaves them alone

        JsonNode summary = summary();
        List<String> rows = new ArrayList<>();
        summary.path("data").forEach(r -> rows.add(r.path("family").asString() + " " + r.path("status").asString()
                + " " + r.path("tasks").asLong()));
        assertThat(rows).containsExactly("midjourney FAILURE 2", "midjourney SUCCESS 3", "suno CANCEL 1");
        assertThat(summary.path("total").asLong()).isEqualTo(6);
    }

    @Test
    void theStatusParameterNamesEveryStatusWhenWrong() {
        assertThat(get("/api/admin/tasks?status=queued").path("data").isArray()).isTrue();
        HttpResponse<String> wrong = gw.get("/api/admin/tasks?status=DONE", GatewayHarness.ADMIN_KEY);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(wrong.body()).at("/error/message").asString()).isEqualTo(
                "status: DONE (expected: one of NOT_START, SUBMITTED, QUEUED, IN_PROGRESS, MODAL, SUCCESS, FAILURE, CANCEL)");
    }

    private static void insert(TaskStore tasks, long owner, String family, TaskStatus status, int count) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            String id = family + "-" + status + "-" + i;
            tasks.insert(new Task(0, id, family, "IMAGINE", null, owner, 0, 1, "up-" + id, status, "0%", null,
                    new Task.Charge(1000, 0, 1, "charged", "none", "open"), null, "{}", null, now, now, now, now));
        }
    }

    private static JsonNode summary() {
        return get("/api/admin/tasks/summary");
    }

    private static JsonNode get(String path) {
        HttpResponse<String> answer = gw.get(path, GatewayHarness.ADMIN_KEY);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }
}
