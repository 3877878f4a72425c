package dev.antler.videos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** new-api's generic video route on an OpenAI Videos channel, over real sockets: a sora-2 task, its money, its errors. */
class GenericVideoSoraTest {

    private static final long SORA_SECOND = Usd.parse("0.10");
    private static final long OPENING = Usd.parse("10");

    private FakeVideos upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeVideos();
        gw = GatewayHarness.start("""
                channels: [{ name: sora, type: openai, base_url: "%s", key: %s, models: [sora-2, sora-2-pro] }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeVideos.KEY, TestUsers.key("alice"), TestUsers.key("bob")),
                Clock.systemUTC());
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private JsonNode fetch(String user, String id, int status) {
        HttpResponse<String> answer = gw.get("/v1/video/generations/" + id, TestUsers.key(user));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void aSoraRequestRunsToCompletionAndPointsAtTheGatewaysContent() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                {"model": "sora-2", "prompt": "a fox in snow", "duration": 8, "width": 1280, "height": 720,
                 "image": "https://example.test/start.png", "fps": 24, "seed": 7}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode created = Json.MAPPER.readTree(answer.body());
        String id = created.path("task_id").asString();
        assertThat(created.path("id").asString()).isEqualTo(id).startsWith("video_");
        assertThat(created.path("object").asString()).isEqualTo("video");
        assertThat(created.path("model").asString()).isEqualTo("sora-2");
        assertThat(created.path("status").asString()).isEqualTo("queued");
        assertThat(created.path("created_at").asLong()).isGreaterThan(1_700_000_000L);
        assertThat(answer.body()).doesNotContain(upstream.lastId());
        assertThat(upstream.createTypes).containsExactly("application/json");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).as("held and charged for the 8 s asked")
                .containsExactly(-8 * SORA_SECOND);

        upstream.progress(upstream.lastId(), 30);
        JsonNode running = fetch("alice", id, 200);
        assertThat(running.path("code").asString()).isEqualTo("success");
        assertThat(running.path("data").path("status").asString()).isEqualTo("processing");
        assertThat(running.path("data").path("url").isNull()).isTrue();

        upstream.finish(upstream.lastId(), "4");
        JsonNode done = fetch("alice", id, 200);
        JsonNode data = done.path("data");
        assertThat(data.path("task_id").asString()).isEqualTo(id);
        assertThat(data.path("status").asString()).isEqualTo("succeeded");
        assertThat(data.path("format").asString()).isEqualTo("mp4");
        assertThat(data.path("url").asString()).startsWith("http://").endsWith("/v1/videos/" + id + "/content");
        assertThat(data.path("metadata").path("duration").asLong()).isEqualTo(4);
        assertThat(data.path("metadata").path("width").asInt()).isEqualTo(1280);
        assertThat(data.path("metadata").path("height").asInt()).isEqualTo(720);
        assertThat(data.path("error").isNull()).isTrue();
        assertThat(done.toString()).doesNotContain(upstream.lastId()).doesNotContain(upstream.baseUrl());

        gw.awaitLedger();
        assertThat(store.balance("alice")).as("settled on the 4 s made").isEqualTo(OPENING - 4 * SORA_SECOND);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
        assertThat(store.usage("alice")).extracting(StoreView.UsageRow::endpoint).contains("video.generations");

        HttpResponse<String> content = gw.get("/v1/videos/" + id + "/content", TestUsers.key("alice"));
        assertThat(content.statusCode()).as("the task is the videos family's: its routes serve it").isEqualTo(200);

        JsonNode other = fetch("bob", id, 404);
        assertThat(other.path("error").path("message").asString()).contains("task_id: " + id);
    }

    @Test
    void theJsonSentUpstreamIsOpenAisCreate() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"sora-2-pro\",\"prompt\":\"p\",\"size\":\"1792x1024\",\"metadata\":{\"character_ids\":[\"c1\"]}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(upstream.requests).anyMatch(r -> r.equals("POST /v1/videos"));
    }

    @Test
    void errorsAreOpenAisAndNeverCharged() {
        HttpResponse<String> unknown = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"no-such-video\",\"prompt\":\"p\"}");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("error").path("message").asString())
                .contains("model: no-such-video");

        HttpResponse<String> duration = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"sora-2\",\"prompt\":\"p\",\"duration\":7}");
        assertThat(duration.statusCode()).isEqualTo(400);
        assertThat(duration.body()).contains("duration: 7 (expected: one of 4, 8, 12 for sora-2)");

        HttpResponse<String> size = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"sora-2\",\"prompt\":\"p\",\"width\":1280}");
        assertThat(size.statusCode()).isEqualTo(400);
        assertThat(size.body()).contains("height: (missing)");

        HttpResponse<String> notJson = gw.post("/v1/video/generations", TestUsers.key("alice"), "[1]");
        assertThat(notJson.statusCode()).isEqualTo(400);

        assertThat(fetch("alice", "video_nope", 404).path("error").isObject()).isTrue();
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(upstream.requests).isEmpty();
    }
}
