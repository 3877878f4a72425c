package dev.antler.runway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A gateway stopped (gracefully) while a Runway video is in progress: the next gateway on the same database polls it
 * to completion, charging it once and settling it once on the seconds made; its link then serves the video.
 */
class RunwayRestartTest {

    private static final long TURBO_SECOND = Usd.parse("0.05");

    private static GatewayHarness start(FakeRunway upstream, Path directory, long pollMs) {
        return GatewayHarness.start("""
                channels: [{ name: runway, type: runway, base_url: "%s", key: "%s" }]
                users:
                %s
                tasks: { poll_interval_ms: %d }
                database: { url: "jdbc:sqlite:%s" }
                """.formatted(upstream.baseUrl(), FakeRunway.KEY, TestUsers.yaml("alice"), pollMs,
                directory.resolve("antler.db")));
    }

    @Test
    void aVideoInProgressAtAStopIsFinishedByTheNextGatewayChargedAndSettledOnce() throws Exception {
        Path directory = Files.createTempDirectory("antler-runway-restart-");
        try (FakeRunway upstream = new FakeRunway()) {
            upstream.script = List.of("PENDING", "RUNNING:0.5", "RUNNING:0.5", "SUCCEEDED");
            upstream.seconds = 7;
            String id;
            try (GatewayHarness first = start(upstream, directory, 600_000)) {
                HttpResponse<String> created = first.post("/runway/v1/image_to_video", TestUsers.key("alice"),
                        "{\"model\":\"gen4_turbo\",\"promptImage\":\"https://img.example.com/a.png\","
                                + "\"ratio\":\"1280:720\",\"duration\":10}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                id = Json.MAPPER.readTree(created.body()).path("id").asString();
                first.get("/runway/v1/tasks/" + id, TestUsers.key("alice"));
                JsonNode running = Json.MAPPER.readTree(first.get("/runway/v1/tasks/" + id, TestUsers.key("alice")).body());
                assertThat(running.path("status").asString()).isEqualTo("RUNNING");
                first.awaitLedger();
            }

            try (GatewayHarness second = start(upstream, directory, 20)) {
                long deadline = System.currentTimeMillis() + 10_000;
                Task task = second.gateway().tasks().store().find(id).orElseThrow();
                while (task.status() != TaskStatus.SUCCESS || !"settled".equals(task.charge().settleState())) {
                    assertThat(System.currentTimeMillis()).as("the new gateway's poller finishes the video")
                            .isLessThan(deadline);
                    Thread.sleep(20);
                    task = second.gateway().tasks().store().find(id).orElseThrow();
                }
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertThat(store.ledger("alice", "charge")).containsExactly(-10 * TURBO_SECOND);
                assertThat(store.ledger("alice", "refund")).containsExactly(3 * TURBO_SECOND);
                assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - 7 * TURBO_SECOND)
                        .isEqualTo(store.ledgerSum("alice"));

                JsonNode done = Json.MAPPER.readTree(second.get("/runway/v1/tasks/" + id, TestUsers.key("alice")).body());
                assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
                String link = done.path("output").get(0).asString();
                // The link names the host the task was asked on (the first gateway's port here; one host in use).
                String path = link.substring(link.indexOf("/results/"));
                HttpResponse<byte[]> video = second.http().send(HttpRequest.newBuilder(
                        URI.create(second.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(video.statusCode()).isEqualTo(200);
                assertThat(video.body()).isEqualTo(upstream.file(upstream.lastId() + ".mp4"));

                second.get("/runway/v1/tasks/" + id, TestUsers.key("alice"));
                Thread.sleep(100);
                second.awaitLedger();
                assertThat(store.ledger("alice", "charge")).hasSize(1);
                assertThat(store.ledger("alice", "refund")).hasSize(1);
            }
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
