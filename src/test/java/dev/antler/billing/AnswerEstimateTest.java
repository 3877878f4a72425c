package dev.antler.billing;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.antler.tokens.TokenEstimator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An answer without usage is billed by estimate for the prompt and for the text it generated — the
 * same whether it came as a JSON body or as a stream, in every family and through every translation —
 * and counted off the event loop.
 */
class AnswerEstimateTest {

    private static final String[] TEXT = {"The", " sea", " is", " calm", " tonight."};
    private static final long TEXT_TOKENS = TokenEstimator.count(String.join("", TEXT));

    private static FakeOpenAi openai;
    private static FakeAnthropic anthropic;
    private static GatewayHarness gw;
    private static StoreView store;
    private long countsOnLoopBefore;

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: gpt, base_url: "%s", key: sk-openai-upstream-0005, models: [gpt-4o-mini] }
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0005, models: [claude-haiku-4-5] }
                users:
                %s""".formatted(openai.baseUrl(), anthropic.baseUrl(), TestUsers.yaml("estimated")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        openai.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        openai.reset();
        anthropic.reset();
        countsOnLoopBefore = TokenEstimator.countsOnEventLoop();
    }

    private UsageRow estimated(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(200);
        UsageRow row = store.awaitRequest(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(TokenEstimator.countsOnEventLoop()).as("token counts on an event loop thread")
                .isEqualTo(countsOnLoopBefore);
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.promptTokens()).isPositive();
        return row;
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void chatCompletionText(boolean stream) {
        openai.always(FakeReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(RawHttp.post(gw, "/v1/chat/completions", key("estimated"), """
                {"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":"Hi"}]}""".formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void chatCompletionToolCall(boolean stream) {
        String[] arguments = {"{\"city\":", "\"Paris\",", "\"unit\":\"celsius\"}"};
        openai.always(FakeReply.ok().withoutUsage().content().toolCall("call_1", "weather", arguments));

        UsageRow row = estimated(RawHttp.post(gw, "/v1/chat/completions", key("estimated"), """
                {"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":"Hi"}]}""".formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TokenEstimator.count(String.join("", arguments)));
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void legacyCompletionText(boolean stream) {
        openai.always(FakeReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(RawHttp.post(gw, "/v1/completions", key("estimated"), """
                {"model":"gpt-4o-mini","stream":%s,"prompt":"Say something"}""".formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void responsesOutputText(boolean stream) {
        openai.always(FakeReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(RawHttp.post(gw, "/v1/responses", key("estimated"), """
                {"model":"gpt-4o-mini","stream":%s,"input":"Say something"}""".formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void anthropicMessageText(boolean stream) {
        anthropic.always(AnthropicReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(AnthropicHttp.post(gw, "/v1/messages", key("estimated"), """
                {"model":"claude-haiku-4-5","max_tokens":500,"stream":%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void anthropicMessageToolUse(boolean stream) {
        anthropic.always(AnthropicReply.ok().withoutUsage().content().tool("toolu_1", "weather",
                "{\"city\":", "\"Paris\"}"));

        UsageRow row = estimated(AnthropicHttp.post(gw, "/v1/messages", key("estimated"), """
                {"model":"claude-haiku-4-5","max_tokens":500,"stream":%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TokenEstimator.count("{\"city\":\"Paris\"}"));
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void messagesTranslatedToAnOpenAiChannel(boolean stream) {
        openai.always(FakeReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(AnthropicHttp.post(gw, "/v1/messages", key("estimated"), """
                {"model":"gpt-4o-mini","max_tokens":500,"stream":%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void chatTranslatedToAnAnthropicChannel(boolean stream) {
        anthropic.always(AnthropicReply.ok().withoutUsage().content(TEXT));

        UsageRow row = estimated(RawHttp.post(gw, "/v1/chat/completions", key("estimated"), """
                {"model":"claude-haiku-4-5","stream":%s,"messages":[{"role":"user","content":"Hi"}]}""".formatted(stream)));

        assertThat(row.completionTokens()).isEqualTo(TEXT_TOKENS);
    }
}
