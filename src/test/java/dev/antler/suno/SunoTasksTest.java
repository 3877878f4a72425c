package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.family.UpstreamAuth;
import dev.antler.routing.Channel;
import dev.antler.tasks.PollStrategy;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.tasks.TaskUpdate;
import dev.antler.tasks.TaskUpstream;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The task families' rules that need no upstream: polling strategies, and tasks no upstream can be asked about. */
class SunoTasksTest {

    private static Vertx vertx;
    private static SunoUpstream upstream;
    private static final Channel CHANNEL = new Channel(1, "c", "suno", "http://127.0.0.1:9", "k", Set.of(), Map.of(),
            0, 1, Set.of("default"), Status.ACTIVE, null);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        upstream = new SunoUpstream(new TaskUpstream(vertx, vertx.createHttpClient()), UpstreamAuth.bearer());
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    private static Task task(String family, String upstreamId) {
        return new Task(1, "task_x", family, "MUSIC", null, 1, 1, 1, upstreamId, TaskStatus.SUBMITTED, "0%", null,
                Task.Charge.perCall(1), null, null, null, 0, null, null, 0);
    }

    @Test
    void sunoIsPolledInBatchesAndUdioOneTaskAtATime() {
        assertThat(new SunoTasks(upstream).polling()).isEqualTo(PollStrategy.batch(SunoTasks.BATCH));
        assertThat(new UdioTasks(upstream).polling()).isEqualTo(PollStrategy.single());
    }

    @Test
    void aTaskWithoutAnUpstreamIdFailsWithoutAnyCallUpstream() {
        Map<String, TaskUpdate> suno = new SunoTasks(upstream).poll(CHANNEL, List.of(task("suno", ""), task("suno", " ")));
        assertThat(suno).containsOnlyKeys("", " ");
        assertThat(suno.get("").status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(new SunoTasks(upstream).fetch(CHANNEL, task("suno", "")).status()).isEqualTo(TaskStatus.FAILURE);

        assertThat(new UdioTasks(upstream).poll(CHANNEL, List.of(task("udio", "")))).containsOnlyKeys("");
        TaskUpdate unusable = new UdioTasks(upstream).fetch(CHANNEL, task("udio", "../up"));
        assertThat(unusable.status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(unusable.failReason()).doesNotContain("../up").contains("(expected: ");
    }
}
