package dev.antler.luma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Luma tasks across a graceful restart (finished by the next gateway, charged once) and past the task timeout
 * (failed and refunded once, the id still answering), and on the generic video route.
 */
class LumaLifeTest {

    private static final long OPENING = Usd.parse("10");
    private static final long RAY2_5S_720P = Usd.parse("0.71");

    private static GatewayHarness start(FakeLuma upstream, Path directory, String tasks, Clock clock) {
        return GatewayHarness.start("""
                channels: [{ name: luma, type: luma, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: %s
                database: { url: "jdbc:sqlite:%s" }
                """.formatted(upstream.baseUrl(), FakeLuma.KEY, TestUsers.key("alice"), tasks,
                directory.resolve("antler.db")), clock);
    }

    private static JsonNode read(GatewayHarness gw, String path) {
        HttpResponse<String> answer = gw.get(path, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void aGenerationDreamingAtAStopIsFinishedByTheNextGatewayChargedOnce() throws Exception {
        Path directory = Files.createTempDirectory("antler-luma-restart-");
        try (FakeLuma upstream = new FakeLuma()) {
            String id;
            try (GatewayHarness first = start(upstream, directory, "{ poll_interval_ms: 600000 }", Clock.systemUTC())) {
                HttpResponse<String> created = first.post("/luma/generations", TestUsers.key("alice"),
                        "{\"user_prompt\":\"a harbour at dawn\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                id = Json.MAPPER.readTree(created.body()).path("id").asString();
                assertThat(read(first, "/luma/generations/" + id).path("state").asString()).isEqualTo("processing");
                first.awaitLedger();
            }
            upstream.state(upstream.lastId(), "dreaming"); // the next look completes it

            try (GatewayHarness second = start(upstream, directory, "{ poll_interval_ms: 20 }", Clock.systemUTC())) {
                long deadline = System.currentTimeMillis() + 10_000;
                Task task = second.gateway().tasks().store().find(id).orElseThrow();
                while (task.status() != TaskStatus.SUCCESS) {
                    assertThat(System.currentTimeMillis()).as("the new gateway's poller finishes it").isLessThan(deadline);
                    Thread.sleep(20);
                    task = second.gateway().tasks().store().find(id).orElseThrow();
                }
                JsonNode done = read(second, "/luma/generations/" + id);
                assertThat(done.path("state").asString()).isEqualTo("completed");
                String link = done.path("video").path("url").asString();
                assertThat(link).contains("/results/" + id + "/");
                HttpResponse<byte[]> content = second.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(content.body()).isEqualTo(upstream.result(upstream.lastId() + ".mp4"));
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertThat(store.ledger("alice", "charge")).containsExactly(-RAY2_5S_720P);
                assertThat(store.ledger("alice", "refund")).isEmpty();
                assertThat(store.balance("alice")).isEqualTo(OPENING - RAY2_5S_720P).isEqualTo(store.ledgerSum("alice"));
            }
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aGenerationPastTheTimeoutIsRefundedOnceAndStillAnswers() throws Exception {
        Path directory = Files.createTempDirectory("antler-luma-timeout-");
        ManualClock clock = ManualClock.now();
        try (FakeLuma upstream = new FakeLuma();
             GatewayHarness gw = start(upstream, directory, "{ poll_interval_ms: 600000, timeout_seconds: 60 }",
                     clock)) {
            HttpResponse<String> created = gw.post("/dream-machine/v1/generations", TestUsers.key("alice"),
                    "{\"prompt\":\"a slow one\"}");
            String id = Json.MAPPER.readTree(created.body()).path("id").asString();
            gw.awaitLedger();
            clock.advanceSeconds(61);
            gw.gateway().tasks().poller().sweepOnce();
            gw.gateway().tasks().poller().sweepOnce();
            gw.awaitLedger();
            JsonNode failed = read(gw, "/dream-machine/v1/generations/" + id);
            assertThat(failed.path("state").asString()).isEqualTo("failed");
            assertThat(failed.path("failure_reason").asString()).isNotBlank();
            assertThat(read(gw, "/luma/generations/" + id).path("state").asString()).isEqualTo("failed");
            StoreView store = new StoreView(gw);
            assertThat(store.ledger("alice", "refund")).containsExactly(RAY2_5S_720P);
            assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void withMirroringOnTheLinksServeTheGatewaysCopiesAndLumasCdnIsAskedOnceAFile() throws Exception {
        Path directory = Files.createTempDirectory("antler-luma-mirror-");
        try (FakeLuma upstream = new FakeLuma();
             GatewayHarness gw = start(upstream, directory, "{ poll_interval_ms: 600000 }\nmirror: { enabled: true, "
                     + "directory: \"" + directory.resolve("files") + "\" }", Clock.systemUTC())) {
            HttpResponse<String> created = gw.post("/dream-machine/v1/generations", TestUsers.key("alice"),
                    "{\"prompt\":\"a heron\"}");
            String id = Json.MAPPER.readTree(created.body()).path("id").asString();
            gw.awaitLedger();
            read(gw, "/dream-machine/v1/generations/" + id);
            JsonNode assets = read(gw, "/dream-machine/v1/generations/" + id).path("assets");
            long deadline = System.currentTimeMillis() + 10_000;
            while (copies(directory.resolve("files")) < 2) {
                assertThat(System.currentTimeMillis()).as("both files are copied in the background").isLessThan(deadline);
                Thread.sleep(20);
            }
            for (int i = 0; i < 2; i++) {
                for (String kind : new String[] {"video", "image"}) {
                    HttpResponse<byte[]> file = gw.http().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(assets.path(kind).asString())).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(file.statusCode()).isEqualTo(200);
                    assertThat(file.body()).isEqualTo(upstream.result(upstream.lastId()
                            + (kind.equals("video") ? ".mp4" : ".jpg")));
                }
            }
            assertThat(upstream.cdnHits.get()).as("copied once each, then served from the copies").isEqualTo(2);
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The whole copies kept in {@code files} (a copy under way is a dot file). */
    private static long copies(Path files) throws java.io.IOException {
        if (!Files.isDirectory(files)) {
            return 0;
        }
        try (var list = Files.list(files)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).count();
        }
    }

    @Test
    void theGenericVideoRouteReachesLumaByModel() throws Exception {
        Path directory = Files.createTempDirectory("antler-luma-generic-");
        try (FakeLuma upstream = new FakeLuma();
             GatewayHarness gw = start(upstream, directory, "{ poll_interval_ms: 600000 }", Clock.systemUTC())) {
            HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                    {"model": "ray-flash-2", "prompt": "a heron", "image": "https://img.example.test/h.png",
                     "duration": 9, "size": "1920x1080", "metadata": {"loop": true}}""");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
            JsonNode sent = upstream.submitted.get(0);
            assertThat(sent.path("model").asString()).isEqualTo("ray-flash-2");
            assertThat(sent.path("duration").asString()).isEqualTo("9s");
            assertThat(sent.path("resolution").asString()).isEqualTo("1080p");
            assertThat(sent.path("aspect_ratio").asString()).isEqualTo("16:9");
            assertThat(sent.path("loop").asBoolean()).isTrue();
            assertThat(sent.path("keyframes").path("frame0").path("url").asString()).isEqualTo("https://img.example.test/h.png");
            read(gw, "/v1/video/generations/" + id);
            JsonNode done = read(gw, "/v1/video/generations/" + id).path("data");
            assertThat(done.path("status").asString()).isEqualTo("succeeded");
            assertThat(done.path("url").asString()).contains("/results/" + id + "/");
            assertThat(done.path("metadata").path("duration").asInt()).isEqualTo(9);
            assertThat(done.toString()).doesNotContain(upstream.baseUrl()).doesNotContain(upstream.lastId());

            HttpResponse<String> size = gw.post("/v1/video/generations", TestUsers.key("alice"),
                    "{\"model\":\"ray-2\",\"prompt\":\"p\",\"size\":\"1000x1000\"}");
            assertThat(size.statusCode()).isEqualTo(400);
            assertThat(size.body()).contains("size: 1000x1000 (expected: a short side of 540, 720, 1080 or 2160");
            HttpResponse<String> duration = gw.post("/v1/video/generations", TestUsers.key("alice"),
                    "{\"model\":\"ray-2\",\"prompt\":\"p\",\"duration\":7}");
            assertThat(duration.statusCode()).isEqualTo(400);
            assertThat(duration.body()).contains("duration: \\\"7s\\\" (expected: one of 5s, 9s for ray-2)");
            gw.awaitLedger();
            StoreView store = new StoreView(gw);
            assertThat(store.ledger("alice", "charge")).containsExactly(-Usd.parse("0.99"));
            assertThat(upstream.submitted).hasSize(1);
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
