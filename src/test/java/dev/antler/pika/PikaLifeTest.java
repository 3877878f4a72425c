package dev.antler.pika;

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
 * Pika tasks across a graceful restart (finished by the next gateway, charged once) and past the task timeout
 * (failed and refunded once, the id still answering), and on the generic video route.
 */
class PikaLifeTest {

    private static final long OPENING = Usd.parse("10");
    private static final long CALL = Usd.parse("0.20");

    private static GatewayHarness start(FakePika upstream, Path directory, String tasks, Clock clock) {
        return GatewayHarness.start("""
                channels: [{ name: pika, type: pika, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: %s
                database: { url: "jdbc:sqlite:%s" }
                """.formatted(upstream.baseUrl(), FakePika.KEY, TestUsers.key("alice"), tasks,
                directory.resolve("antler.db")), clock);
    }

    private static JsonNode read(GatewayHarness gw, String path) {
        HttpResponse<String> answer = gw.get(path, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private static String generate(GatewayHarness gw, String body) {
        HttpResponse<String> created = gw.post("/pika/generate", TestUsers.key("alice"), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        gw.awaitLedger();
        return Json.MAPPER.readTree(created.body()).path("id").asString();
    }

    private static void delete(Path directory) throws Exception {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aVideoInProgressAtAStopIsFinishedByTheNextGatewayChargedOnce() throws Exception {
        Path directory = Files.createTempDirectory("antler-pika-restart-");
        try (FakePika upstream = new FakePika()) {
            String id;
            try (GatewayHarness first = start(upstream, directory, "{ poll_interval_ms: 600000 }", Clock.systemUTC())) {
                id = generate(first, "{\"promptText\":\"a harbour\"}");
                assertThat(read(first, "/pika/feed/" + id).path("videos").get(0).path("status").asString())
                        .isEqualTo("pending");
            }
            try (GatewayHarness second = start(upstream, directory, "{ poll_interval_ms: 20 }", Clock.systemUTC())) {
                long deadline = System.currentTimeMillis() + 10_000;
                Task task = second.gateway().tasks().store().find(id).orElseThrow();
                while (task.status() != TaskStatus.SUCCESS) {
                    assertThat(System.currentTimeMillis()).as("the new gateway's poller finishes it").isLessThan(deadline);
                    Thread.sleep(20);
                    task = second.gateway().tasks().store().find(id).orElseThrow();
                }
                JsonNode video = read(second, "/pika/feed/" + id).path("videos").get(0);
                assertThat(video.path("status").asString()).isEqualTo("finished");
                HttpResponse<String> file = second.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(video.path("resultUrl").asString())).GET().build());
                assertThat(file.body()).isEqualTo("pika file /cdn/" + upstream.lastId() + "/video.mp4");
                second.awaitLedger();
                StoreView store = new StoreView(second);
                assertThat(store.ledger("alice", "charge")).containsExactly(-CALL);
                assertThat(store.ledger("alice", "refund")).isEmpty();
                assertThat(store.balance("alice")).isEqualTo(OPENING - CALL).isEqualTo(store.ledgerSum("alice"));
            }
        } finally {
            delete(directory);
        }
    }

    @Test
    void aVideoPastTheTimeoutIsRefundedOnceAndStillAnswers() throws Exception {
        Path directory = Files.createTempDirectory("antler-pika-timeout-");
        ManualClock clock = ManualClock.now();
        try (FakePika upstream = new FakePika();
             GatewayHarness gw = start(upstream, directory, "{ poll_interval_ms: 600000, timeout_seconds: 60 }",
                     clock)) {
            String id = generate(gw, "{\"promptText\":\"a slow one\"}");
            clock.advanceSeconds(61);
            gw.gateway().tasks().poller().sweepOnce();
            gw.gateway().tasks().poller().sweepOnce();
            gw.awaitLedger();
            JsonNode video = read(gw, "/pika/feed/" + id).path("videos").get(0);
            assertThat(video.path("status").asString()).isEqualTo("error");
            assertThat(video.path("error").asString()).isNotBlank();
            StoreView store = new StoreView(gw);
            assertThat(store.ledger("alice", "refund")).containsExactly(CALL);
            assertThat(store.balance("alice")).isEqualTo(OPENING).isEqualTo(store.ledgerSum("alice"));
        } finally {
            delete(directory);
        }
    }

    @Test
    void theGenericVideoRouteReachesPikaByModel() throws Exception {
        Path directory = Files.createTempDirectory("antler-pika-generic-");
        try (FakePika upstream = new FakePika();
             GatewayHarness gw = start(upstream, directory, "{ poll_interval_ms: 600000 }", Clock.systemUTC())) {
            HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                    {"model": "pika-2.2", "prompt": "a heron", "image": "https://img.example.test/h.png",
                     "size": "1280x720", "fps": 24, "metadata": {"pikaffect": "Melt"}}""");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
            JsonNode sent = upstream.submitted.get(0);
            assertThat(sent.path("model").asString()).isEqualTo("2.2");
            assertThat(sent.path("promptText").asString()).isEqualTo("a heron");
            assertThat(sent.path("image").asString()).isEqualTo("https://img.example.test/h.png");
            assertThat(sent.path("pikaffect").asString()).isEqualTo("Melt");
            assertThat(sent.path("options").path("aspectRatio").asDouble()).isEqualTo(1280.0 / 720);
            assertThat(sent.path("options").path("frameRate").asInt()).isEqualTo(24);
            read(gw, "/v1/video/generations/" + id);
            JsonNode done = read(gw, "/v1/video/generations/" + id).path("data");
            assertThat(done.path("status").asString()).isEqualTo("succeeded");
            assertThat(done.path("url").asString()).contains("/results/" + id + "/");
            assertThat(done.path("metadata").path("duration").asInt()).isEqualTo(5);
            assertThat(done.toString()).doesNotContain(upstream.baseUrl()).doesNotContain(upstream.lastId());
            assertThat(read(gw, "/pika/feed/" + id).path("id").asString()).as("the task is Pika's").isEqualTo(id);

            HttpResponse<String> duration = gw.post("/v1/video/generations", TestUsers.key("alice"),
                    "{\"model\":\"pika-1.5\",\"prompt\":\"p\",\"duration\":10}");
            assertThat(duration.statusCode()).isEqualTo(400);
            assertThat(duration.body()).contains("duration: 10 (expected: none for a Pika model");
            HttpResponse<String> model = gw.post("/v1/video/generations", TestUsers.key("alice"),
                    "{\"model\":\"pika-9\",\"prompt\":\"p\"}");
            assertThat(model.statusCode()).isEqualTo(400);
            assertThat(model.body()).contains("model: \\\"9\\\" (expected: one of 1.5, 1.0, 2.0, 2.1, 2.2)");
            gw.awaitLedger();
            StoreView store = new StoreView(gw);
            assertThat(store.ledger("alice", "charge")).containsExactly(-CALL);
            assertThat(upstream.submitted).hasSize(1);
        } finally {
            delete(directory);
        }
    }
}
