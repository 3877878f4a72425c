package dev.antler.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/admin/channels/{id}/test} on an {@code anthropic} channel sends a one-token message;
 * a refused key or an empty credit balance disables the channel, a later passing test enables it again.
 * An {@code ideogram} channel has no free request to test with and says so.
 */
class AnthropicChannelTestTest {

    private static FakeAnthropic upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeAnthropic.start();
        gw = GatewayHarness.start("""
                health: { test_interval_seconds: 0 }
                channels:
                  - { name: claude, type: anthropic, base_url: "%1$s", key: sk-ant-probe-0013,
                      models: [claude-sonnet-4-5], model_mapping: { claude-sonnet-4-5: claude-sonnet-4-5-20250929 } }
                  - { name: claude-any, type: anthropic, base_url: "%1$s", key: sk-ant-probe-any-0013 }
                  - { name: ideo, type: ideogram, base_url: "%1$s", key: sk-ideo-probe-0013 }
                """.formatted(upstream.baseUrl()));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static JsonNode test(String channel) {
        var answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/channels/"
                        + store.channelId(channel) + "/test"))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void aPassingTestIsAOneTokenMessageForTheChannelsFirstModel() {
        JsonNode result = test("claude");

        assertThat(result.path("testable").asBoolean()).isTrue();
        assertThat(result.path("passed").asBoolean()).as(result.toString()).isTrue();
        ReceivedRequest sent = upstream.onlyRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-probe-0013");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.json().path("max_tokens").asInt()).isEqualTo(1);
        assertThat(sent.model()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void aChannelListingNoModelIsTestedWithTheCheapestOne() {
        assertThat(test("claude-any").path("passed").asBoolean()).isTrue();

        assertThat(upstream.onlyRequest().model()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void aRefusedKeyDisablesTheChannelAndALaterPassingTestEnablesItAgain() {
        upstream.enqueue(AnthropicReply.error(401, "authentication_error", "invalid x-api-key"));

        JsonNode refused = test("claude");
        JsonNode passed = test("claude");

        assertThat(refused.path("passed").asBoolean()).isFalse();
        assertThat(refused.path("disabled").asBoolean()).isTrue();
        assertThat(refused.path("channel").path("status_reason").asString())
                .startsWith("auto-disabled: channel test: upstream HTTP 401");
        assertThat(refused.toString()).doesNotContain("sk-ant-probe-0013");
        assertThat(passed.path("re_enabled").asBoolean()).isTrue();
        assertThat(store.channelStatus("claude")).isEqualTo(new StoreView.ChannelStatus("active", null));
    }

    @Test
    void anEmptyCreditBalanceDisablesTheChannel() {
        upstream.enqueue(AnthropicReply.error(400, "invalid_request_error",
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing."));

        JsonNode refused = test("claude-any");

        assertThat(refused.path("disabled").asBoolean()).isTrue();
        assertThat(store.channelStatus("claude-any").status()).isEqualTo("disabled");
        assertThat(test("claude-any").path("re_enabled").asBoolean()).isTrue();
    }

    @Test
    void anIdeogramChannelIsNotTestableAndNothingIsSent() {
        JsonNode result = test("ideo");

        assertThat(result.path("testable").asBoolean()).isFalse();
        assertThat(result.path("message").asString())
                .isEqualTo("type: ideogram (expected: a channel type with a test request: anthropic, flux, kling, luma, midjourney, minimax, openai, recraft, replicate, runway, suno)");
        assertThat(upstream.requests()).isEmpty();
    }
}
