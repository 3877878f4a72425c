package dev.antler.anthropic;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.AnthropicHttp;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * What Messages requests cost, exactly, at the built-in list prices: each kind of Anthropic token at its
 * own price, and translated requests in both directions billed on the upstream's usage.
 */
class AnthropicBillingTest {

    private static final long OPENING = 10_000_000_000L;

    private static FakeAnthropic anthropic;
    private static FakeOpenAi openai;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropic.start();
        openai = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0004,
                      models: [claude-sonnet-4-5, claude-haiku-4-5] }
                  - { name: gpt, base_url: "%s", key: sk-openai-upstream-0004, models: [gpt-4o-mini], groups: [default, vip] }
                groups: { vip: { multiplier: 1.5 } }
                users:
                  - { name: vip, group: vip, balance: 10, keys: [{ key: %s }] }
                %s""".formatted(anthropic.baseUrl(), openai.baseUrl(), key("vip"),
                TestUsers.yaml("cache-plain", "cache-stream", "to-openai-plain", "to-openai-stream", "to-claude-plain",
                        "to-claude-stream")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        anthropic.close();
        openai.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        openai.reset();
    }

    private static String messages(String model, boolean stream) {
        return """
                {"model":"%s","max_tokens":500,"stream":%s,"messages":[{"role":"user","content":"Summarise the report"}]}"""
                .formatted(model, stream);
    }

    private static UsageRow charged(String user, HttpResponse<String> answer, long cost) {
        assertThat(answer.statusCode()).isEqualTo(200);
        UsageRow row = store.awaitRequest(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(row.costNanos()).isEqualTo(cost);
        gw.awaitLedger();
        assertThat(store.ledger(user, "charge")).containsExactly(-cost);
        assertThat(store.balance(user)).isEqualTo(OPENING - cost).isEqualTo(store.ledgerSum(user));
        return row;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cacheReadsAndWritesArePricedApart(boolean stream) {
        anthropic.always(AnthropicReply.ok().usage(100, 50, 2_000, 400));
        String user = stream ? "cache-stream" : "cache-plain";
        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key(user), messages("claude-sonnet-4-5", stream));

        // claude-sonnet-4-5: 3.00 input, 0.30 cache read, 3.75 cache write, 15.00 output per Mtok
        long cost = 100 * 3_000L + 2_000 * 300L + 400 * 3_750L + 50 * 15_000L;
        UsageRow row = charged(user, answer, cost);
        assertThat(cost).isEqualTo(3_150_000L);
        assertThat(row.promptTokens()).isEqualTo(2_100);
        assertThat(row.cachedTokens()).isEqualTo(2_000);
        assertThat(row.completionTokens()).isEqualTo(50);
        assertThat(store.cacheWriteTokens(row.requestId())).isEqualTo(400);
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.stream()).isEqualTo(stream);
        assertThat(row.endReason()).isEqualTo("complete");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void messagesTranslatedToAnOpenAiChannelAreBilledOnItsUsage(boolean stream) {
        openai.always(FakeReply.ok().usage(1_000, 200, 400));
        String user = stream ? "to-openai-stream" : "to-openai-plain";
        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key(user), messages("gpt-4o-mini", stream));

        // gpt-4o-mini: 0.15 input, 0.075 cached input, 0.60 output per Mtok
        UsageRow row = charged(user, answer, 600 * 150L + 400 * 75L + 200 * 600L);
        assertThat(row.endpoint()).isEqualTo("messages");
        assertThat(row.channelId()).isEqualTo(store.channelId("gpt"));
        assertThat(openai.onlyRequest().includeUsage()).isEqualTo(stream);
        String usage = stream ? answer.body().substring(answer.body().indexOf("event: message_delta"))
                : answer.body();
        assertThat(usage).contains("\"input_tokens\":600").contains("\"cache_read_input_tokens\":400")
                .contains("\"output_tokens\":200");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void chatTranslatedToAnAnthropicChannelIsBilledOnItsUsage(boolean stream) {
        anthropic.always(AnthropicReply.ok().usage(300, 80, 1_000, 200));
        String user = stream ? "to-claude-stream" : "to-claude-plain";
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key(user), """
                {"model":"claude-haiku-4-5","stream":%s,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Summarise the report"}]}""".formatted(stream));

        // claude-haiku-4-5: 1.00 input, 0.10 cache read, 1.25 cache write, 5.00 output per Mtok
        UsageRow row = charged(user, answer, 300 * 1_000L + 1_000 * 100L + 200 * 1_250L + 80 * 5_000L);
        assertThat(row.endpoint()).isEqualTo("chat.completions");
        assertThat(store.cacheWriteTokens(row.requestId())).isEqualTo(200);
        String last = stream ? answer.body().substring(answer.body().lastIndexOf("data: {") + 6,
                answer.body().lastIndexOf("data: [DONE]")) : answer.body();
        JsonNode usage = Json.MAPPER.readTree(last).path("usage");
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(1_500);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asLong()).isEqualTo(1_000);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(80);
    }

    @Test
    void groupMultiplierAppliesToTranslatedRequests() {
        openai.always(FakeReply.ok().usage(1_000, 200, 0));
        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key("vip"), messages("gpt-4o-mini", false));

        charged("vip", answer, (1_000 * 150L + 200 * 600L) * 3 / 2);
    }
}
