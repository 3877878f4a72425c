package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** new-api's generic video route on a Kling channel, over real sockets: the body Kling gets, the money, the errors. */
class GenericVideoKlingTest {

    private static final long OPENING = Usd.parse("10");
    private static final long V1_STD_SECOND = Usd.parse("0.028");

    private FakeKling upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeKling();
        gw = GatewayHarness.start("""
                channels: [{ name: kling, type: kling, base_url: "%s", key: "%s" }]
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                  - { name: bob, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000, webhook_backoff_ms: 10 }
                """.formatted(upstream.baseUrl(), FakeKling.KEY, TestUsers.key("alice"), TestUsers.key("bob")));
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
    void anImageRequestBecomesAnImage2videoAndCompletes() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                {"model": "kling-v1", "prompt": "the heron takes off", "image": "https://example.test/heron.png",
                 "duration": 10, "size": "1280x720", "metadata": {"mode": "std", "negative_prompt": "blur"}}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode created = Json.MAPPER.readTree(answer.body());
        String id = created.path("task_id").asString();
        assertThat(created.path("id").asString()).isEqualTo(id).isNotEqualTo(upstream.lastId());
        assertThat(created.path("status").asString()).isEqualTo("queued");
        assertThat(created.path("model").asString()).isEqualTo("kling-v1");

        assertThat(upstream.requests).contains("POST /v1/videos/image2video");
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model_name").asString()).isEqualTo("kling-v1");
        assertThat(sent.path("prompt").asString()).isEqualTo("the heron takes off");
        assertThat(sent.path("image").asString()).isEqualTo("https://example.test/heron.png");
        assertThat(sent.path("duration").asString()).isEqualTo("10");
        assertThat(sent.path("mode").asString()).isEqualTo("std");
        assertThat(sent.path("negative_prompt").asString()).isEqualTo("blur");
        assertThat(sent.has("aspect_ratio")).as("an image2video takes its image's").isFalse();
        assertThat(sent.has("model")).isFalse();
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-10 * V1_STD_SECOND);

        assertThat(fetch("alice", id, 200).path("data").path("status").asString()).isEqualTo("processing");
        JsonNode done = fetch("alice", id, 200);
        assertThat(done.path("code").asString()).isEqualTo("success");
        JsonNode data = done.path("data");
        assertThat(data.path("task_id").asString()).isEqualTo(id);
        assertThat(data.path("status").asString()).isEqualTo("succeeded");
        assertThat(data.path("url").asString()).startsWith(gw.baseUrl() + "/results/");
        assertThat(done.toString()).doesNotContain(upstream.baseUrl());
        assertThat(data.path("format").asString()).isEqualTo("mp4");
        assertThat(data.path("metadata").path("duration").asLong()).isEqualTo(10);
        assertThat(data.path("error").isNull()).isTrue();

        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING - 10 * V1_STD_SECOND);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
        HttpResponse<String> native_ = gw.get("/kling/v1/videos/image2video/" + id, TestUsers.key("alice"));
        assertThat(native_.statusCode()).as("the task is Kling's: its routes serve it").isEqualTo(200);

        JsonNode other = fetch("bob", id, 404);
        assertThat(other.path("error").path("message").asString()).contains("task_id: " + id);
    }

    @Test
    void aTextRequestTakesItsSizeAsTheAspectRatioAndAFailureIsRefunded() {
        upstream.failNext = true;
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"kling-v1\",\"prompt\":\"a heron\",\"width\":720,\"height\":1280}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
        JsonNode sent = upstream.submitted.get(0);
        assertThat(upstream.requests).contains("POST /v1/videos/text2video");
        assertThat(sent.path("aspect_ratio").asString()).isEqualTo("9:16");
        assertThat(sent.path("duration").asString()).isEqualTo("5");
        fetch("alice", id, 200);
        JsonNode failed = fetch("alice", id, 200).path("data");
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error").path("message").asString()).isEqualTo("content risk");
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(store.balance("alice")).isEqualTo(store.ledgerSum("alice"));
    }

    @Test
    void badInputIsA400NamingTheFieldAndNothingIsCharged() {
        HttpResponse<String> duration = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"kling-v1\",\"prompt\":\"p\",\"duration\":7}");
        assertThat(duration.statusCode()).as(duration.body()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(duration.body()).path("error");
        assertThat(error.path("message").asString()).contains("duration: \"7\" (expected: one of \"5\", \"10\")");
        assertThat(error.path("type").asString()).as("OpenAI's envelope").isEqualTo("invalid_request_error");

        HttpResponse<String> size = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"kling-v1\",\"prompt\":\"p\",\"size\":\"1000x300\"}");
        assertThat(size.statusCode()).isEqualTo(400);
        assertThat(size.body()).contains("size: 1000x300");

        HttpResponse<String> unknown = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\":\"sora-2\",\"prompt\":\"p\"}");
        assertThat(unknown.statusCode()).as("no openai channel serves it").isEqualTo(404);
        gw.awaitLedger();
        assertThat(store.balance("alice")).isEqualTo(OPENING);
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(upstream.submitted).isEmpty();
    }
}
