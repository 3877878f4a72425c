package dev.antler.videos;

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
import org.junit.jupiter.api.Test;

/**
 * A gateway stopped (gracefully) while a video is in progress: a new gateway on the same database and mirror
 * directory polls it to completion, charging it once and settling it once; its content is then served.
 */
class VideoRestartTest {

    private static final long SORA_SECOND = Usd.parse("0.10");

    private static GatewayHarness start(FakeVideos upstream, Path directory, long pollMs) {
        return GatewayHarness.start("""
                channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: %d }
                database: { url: "jdbc:sqlite:%s" }
                mirror: { enabled: true, directory: "%s", retention_hours: 2 }
                """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"), pollMs,
                directory.resolve("antler.db"), directory.resolve("files")));
    }

    @Test
    void aVideoInProgressAtAStopIsFinishedByTheNextGatewayChargedAndSettledOnce() throws Exception {
        Path directory = Files.createTempDirectory("antler-video-restart-");
        try (FakeVideos upstream = new FakeVideos()) {
            String id;
            try (GatewayHarness first = start(upstream, directory, 600_000)) {
                HttpResponse<String> created = first.post("/v1/videos", TestUsers.key("alice"),
                        "{\"model\":\"sora-2\",\"prompt\":\"a harbour at dawn\",\"seconds\":\"8\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                id = Json.MAPPER.readTree(created.body()).path("id").asString();
                upstream.progress(upstream.lastId(), 30);
                String shown = first.get("/v1/videos/" + id, TestUsers.key("alice")).body();
                assertThat(Json.MAPPER.readTree(shown).path("status").asString()).isEqualTo("in_progress");
                first.awaitLedger();
            }
            upstream.finish(upstream.lastId(), "4");

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
                assertThat(store.ledger("alice", "charge")).containsExactly(-8 * SORA_SECOND);
                assertThat(store.ledger("alice", "refund")).containsExactly(4 * SORA_SECOND);
                assertThat(store.balance("alice")).isEqualTo(Usd.parse("10") - 4 * SORA_SECOND)
                        .isEqualTo(store.ledgerSum("alice"));

                HttpResponse<byte[]> content = second.http().send(HttpRequest.newBuilder(
                                URI.create(second.baseUrl() + "/v1/videos/" + id + "/content"))
                        .header("Authorization", "Bearer " + TestUsers.key("alice")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(content.statusCode()).isEqualTo(200);
                assertThat(content.body()).hasSize(1000);
                assertThat(content.body()[500]).isEqualTo((byte) (500 % 251));

                // More polls and fetches change nothing.
                second.get("/v1/videos/" + id, TestUsers.key("alice"));
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
