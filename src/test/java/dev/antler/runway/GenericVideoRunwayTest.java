package dev.antler.runway;

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

/** new-api's generic video route with Runway's models on a runway channel, over real sockets. */
class GenericVideoRunwayTest {

    private FakeRunway upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeRunway();
        gw = GatewayHarness.start("""
                channels: [{ name: runway, type: runway, base_url: "%s", key: "%s" }]
                users:
                %s
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeRunway.KEY, TestUsers.yaml("alice")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private JsonNode fetch(String id) {
        HttpResponse<String> answer = gw.get("/v1/video/generations/" + id, TestUsers.key("alice"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain(upstream.baseUrl()).doesNotContain("rw-task-");
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void anImageRequestBecomesAnImageToVideoAndCompletesWithTheGatewaysLink() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"), """
                {"model": "gen4_turbo", "prompt": "the heron takes off", "image": "https://img.example.com/heron.png",
                 "duration": 5, "size": "1920x1080", "seed": 42, "metadata": {"contentModeration": {"publicFigureThreshold": "low"}}}""");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = Json.MAPPER.readTree(answer.body()).path("task_id").asString();
        assertThat(answer.body()).doesNotContain("rw-task-");
        assertThat(upstream.requests).contains("POST /v1/image_to_video");
        JsonNode sent = upstream.submitted.get(0);
        assertThat(sent.path("model").asString()).isEqualTo("gen4_turbo");
        assertThat(sent.path("promptImage").asString()).isEqualTo("https://img.example.com/heron.png");
        assertThat(sent.path("promptText").asString()).isEqualTo("the heron takes off");
        assertThat(sent.path("ratio").asString()).as("16:9 in gen4_turbo's sizes").isEqualTo("1280:720");
        assertThat(sent.path("duration").asInt()).isEqualTo(5);
        assertThat(sent.path("seed").asLong()).isEqualTo(42);
        assertThat(sent.path("contentModeration").path("publicFigureThreshold").asString()).isEqualTo("low");
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-5 * Usd.parse("0.05"));

        for (int i = 0; i < 3; i++) {
            fetch(id);
        }
        JsonNode data = fetch(id).path("data");
        assertThat(data.path("status").asString()).isEqualTo("succeeded");
        assertThat(data.path("url").asString()).startsWith(gw.baseUrl() + "/results/" + id + "/");
        assertThat(data.path("metadata").path("duration").asInt()).isEqualTo(5);
        assertThat(gw.get("/runway/v1/tasks/" + id, TestUsers.key("alice")).statusCode())
                .as("the task is Runway's, readable on Runway's route too").isEqualTo(200);
    }

    @Test
    void aPromptAloneBecomesATextToVideoAndAnUnfitSizeIsRefused() {
        HttpResponse<String> answer = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\": \"gen4.5\", \"prompt\": \"rain\", \"duration\": \"6\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(upstream.requests).containsExactly("POST /v1/text_to_video");
        assertThat(upstream.submitted.get(0).path("ratio").asString()).isEqualTo("1280:720");
        assertThat(upstream.submitted.get(0).path("duration").asInt()).isEqualTo(6);

        HttpResponse<String> square = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\": \"gen4.5\", \"prompt\": \"rain\", \"duration\": 6, \"size\": \"1024x1024\"}");
        assertThat(square.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(square.body()).path("error").path("message").asString())
                .startsWith("size: 1024x1024 (expected: a size of the shape of one of 1280:720, 720:1280 for gen4.5");
        HttpResponse<String> noDuration = gw.post("/v1/video/generations", TestUsers.key("alice"),
                "{\"model\": \"gen4.5\", \"prompt\": \"rain\"}");
        assertThat(noDuration.statusCode()).isEqualTo(400);
        assertThat(upstream.submitted).hasSize(1);
    }
}
