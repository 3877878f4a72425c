package dev.antler.tokens;

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
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Every token count of the gateway — the estimate of an answer without usage (the first of which loads the
 * encoding), the usage a translated stream reports at its end, a hold counted with the tokenizer, a count_tokens
 * answered locally — runs off the event loop ({@link TokenEstimator#countsOnEventLoop()} stays put), and bills
 * and reports the same figures as counting in place would.
 */
class CountingOffTheEventLoopTest {

    /** A long answer: some 250 KB of text in 3,000 deltas. */
    private static final String[] LONG_ANSWER = answer(3_000);
    private static final String LONG_TEXT = String.join("", LONG_ANSWER);

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
                  - { name: gpt, base_url: "%s", key: sk-openai-upstream-0031, models: [gpt-4o-mini, gpt-4o] }
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0031, models: [claude-haiku-4-5] }
                prices:
                  gpt-4o: { input_per_mtok: 100, output_per_mtok: 400 }
                users:
                %s  - { name: nearlybroke, balance: 1, keys: [{ key: %s }] }
                """.formatted(openai.baseUrl(), anthropic.baseUrl(), TestUsers.yaml("counting"),
                key("nearlybroke")));
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

    @AfterEach
    void nothingWasCountedOnAnEventLoop() {
        assertThat(TokenEstimator.countsOnEventLoop()).as("token counts on an event loop thread")
                .isEqualTo(countsOnLoopBefore);
    }

    @ParameterizedTest(name = "stream: {0}")
    @ValueSource(booleans = {false, true})
    void aLongAnswerWithoutUsageIsEstimatedOffTheEventLoop(boolean stream) {
        openai.always(FakeReply.ok().withoutUsage().content(LONG_ANSWER));

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("counting"), """
                {"model":"gpt-4o-mini","stream":%s,"messages":[{"role":"user","content":"Tell a long story"}]}"""
                .formatted(stream));

        UsageRow row = estimated(answer);
        assertThat(row.completionTokens()).isEqualTo(TokenEstimator.count(LONG_TEXT));
        assertThat(row.promptTokens()).isEqualTo(TokenEstimator.countStrings(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell a long story\"}]}".getBytes(),
                Set.of("messages")));
        assertThat(answer.body()).contains(LONG_ANSWER[LONG_ANSWER.length - 1]);
        if (stream) {
            assertThat(answer.body()).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aTranslatedStreamWithoutUsageEndsWithTheEstimateItBills() {
        openai.always(FakeReply.ok().withoutUsage().content(LONG_ANSWER));

        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key("counting"), """
                {"model":"gpt-4o-mini","max_tokens":50000,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        UsageRow row = estimated(answer);
        assertThat(row.completionTokens()).isEqualTo(TokenEstimator.count(LONG_TEXT));
        String delta = event(answer.body(), "message_delta");
        assertThat(Json.MAPPER.readTree(delta).path("usage").path("output_tokens").asLong())
                .isEqualTo(row.completionTokens());
        assertThat(answer.body()).endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void aChatStreamFromAnAnthropicChannelWithoutUsageGetsTheEstimateItBills() {
        anthropic.always(AnthropicReply.ok().withoutUsage().content(LONG_ANSWER));

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("counting"), """
                {"model":"claude-haiku-4-5","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hi"}]}""");

        UsageRow row = estimated(answer);
        assertThat(row.completionTokens()).isEqualTo(TokenEstimator.count(LONG_TEXT));
        JsonNode usage = Arrays.stream(answer.body().split("\n\n"))
                .filter(event -> event.startsWith("data: {") && event.contains("\"usage\""))
                .map(event -> Json.MAPPER.readTree(event.substring("data: ".length())).path("usage"))
                .reduce((first, second) -> second).orElseThrow();
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(row.completionTokens());
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(row.promptTokens());
        assertThat(answer.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aHoldNearTheBalanceIsCountedWithTheTokenizerOffTheEventLoop() {
        // 6,000 bytes but some 1,000 tokens of prompt: by its bytes the hold would leave 1,000 output tokens at
        // 0.0004 USD from the 1 USD balance; counted, about 2,250.
        String prompt = "hello ".repeat(1_000);

        HttpResponse<String> refused = RawHttp.post(gw, "/v1/chat/completions", key("nearlybroke"), """
                {"model":"gpt-4o","max_tokens":100000,"messages":[{"role":"user","content":"%s"}]}""".formatted(prompt));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        String message = Json.MAPPER.readTree(refused.body()).path("error").path("message").asString();
        String before = "max_tokens: 100000 (expected: at most ";
        assertThat(message).contains(before);
        int start = message.indexOf(before) + before.length();
        assertThat(Long.parseLong(message.substring(start, message.indexOf(',', start)))).isBetween(2_100L, 2_250L);
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void countTokensAnsweredByTheGatewayIsCountedOffTheEventLoop() {
        String request = """
                {"model":"gpt-4o-mini","system":"Be brief.","messages":[{"role":"user","content":"%s"}]}"""
                .formatted(LONG_TEXT.substring(0, 50_000));

        HttpResponse<String> counted = AnthropicHttp.post(gw, "/v1/messages/count_tokens", key("counting"), request);

        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        JsonNode tree = Json.MAPPER.readTree(request);
        assertThat(Json.MAPPER.readTree(counted.body()).path("input_tokens").asLong()).isEqualTo(
                TokenEstimator.countStrings(tree.path("system")) + TokenEstimator.countStrings(tree.path("messages")));
        assertThat(openai.requests()).isEmpty();
    }

    private static UsageRow estimated(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        UsageRow row = store.awaitRequest(answer.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.endReason()).isEqualTo("complete");
        return row;
    }

    /** The data of the first event named {@code name} in an Anthropic stream. */
    private static String event(String stream, String name) {
        String head = "event: " + name + "\ndata: ";
        int start = stream.indexOf(head);
        assertThat(start).as("event %s in %s", name, stream.length() > 2000 ? "the stream" : stream).isNotNegative();
        start += head.length();
        return stream.substring(start, stream.indexOf('\n', start));
    }

    private static String[] answer(int sentences) {
        String[] deltas = new String[sentences];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = " sentence " + i + " of a long answer, told word by word until the reader tires of it.";
        }
        return deltas;
    }
}
