package dev.antler.relay;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.AnthropicHttp;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A model no channel serves is a 404 {@code model_not_found} in the family's envelope (SDKs retry a 503, which a
 * misspelt model never deserves); a model whose channels are all disabled stays a 503, an outage to wait out.
 * Neither is charged or sent anywhere.
 */
class ModelNotFoundTest {

    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        String refused = FakeOpenAi.refusingUrl();
        gw = GatewayHarness.start("""
                channels:
                  - { name: gpt, base_url: "%1$s", key: sk-openai-gpt-0021, models: [gpt-4o-mini] }
                  - { name: paused, base_url: "%1$s", key: sk-openai-paused-0021, models: [gpt-4.1], enabled: false }
                  - { name: claude, type: anthropic, base_url: "%1$s", key: sk-ant-0021, models: [claude-haiku-4-5] }
                users:
                %2$s""".formatted(refused, TestUsers.yaml("typo", "waiter", "claudetypo")));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static HttpResponse<String> chat(String user, String model) {
        return RawHttp.post(gw, "/v1/chat/completions", key(user), """
                {"model":"%s","messages":[{"role":"user","content":"Hi"}]}""".formatted(model));
    }

    @Test
    void aModelNoChannelServesIsA404ModelNotFoundInOpenAisShape() {
        HttpResponse<String> answer = chat("typo", "gpt-4o-mni");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_found");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).startsWith("model: gpt-4o-mni ");
        gw.awaitLedger();
        assertThat(new StoreView(gw).balance("typo")).isEqualTo(new StoreView(gw).ledgerSum("typo"));
    }

    @Test
    void aModelNoChannelServesIsA404NotFoundErrorInAnthropicsShape() {
        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key("claudetypo"), """
                {"model":"claude-haiku-9","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("type").asString()).isEqualTo("error");
        assertThat(root.path("error").path("type").asString()).isEqualTo("not_found_error");
    }

    @Test
    void aModelWhoseChannelsAreAllDisabledStaysA503() {
        HttpResponse<String> answer = chat("waiter", "gpt-4.1");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_available");
        assertThat(error.path("message").asString()).contains("disabled");
    }
}
