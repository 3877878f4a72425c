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
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code billing.cap_max_tokens_to_balance}, a request whose output the balance cannot cover is sent
 * with its output limit lowered to what the balance affords, and the answer says so in a header.
 */
class MaxTokensCapRelayTest {

    private static final String CAPPED = "X-Antler-Max-Tokens-Capped";
    /** 4 USD per million output tokens: with 1 USD and a small prompt, about 249,000 tokens are affordable. */
    private static final String CHAT = """
            {"model":"gpt-4o","%s":1000000,"messages":[{"role":"user","content":"Write a very long story."}]}""";
    private static final String MESSAGE = """
            {"model":"claude-sonnet-4-5","max_tokens":1000000,"messages":[{"role":"user","content":"Write a long story."}]}""";

    private static FakeOpenAi openai;
    private static FakeAnthropic anthropic;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start();
        gw = GatewayHarness.start("""
                billing: { cap_max_tokens_to_balance: true }
                channels:
                  - { name: gpt, base_url: "%s", key: sk-upstream-cap-0001, models: [gpt-4o] }
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-cap-0001, models: [claude-sonnet-4-5] }
                prices:
                  gpt-4o: { input_per_mtok: 1, output_per_mtok: 4 }
                  claude-sonnet-4-5: { input_per_mtok: 1, output_per_mtok: 4 }
                users:
                  - { name: capchat, balance: 1, keys: [{ key: %s }] }
                  - { name: capnew, balance: 1, keys: [{ key: %s }] }
                  - { name: capclaude, balance: 1, keys: [{ key: %s }] }
                  - { name: roomy, balance: 10, keys: [{ key: %s }] }
                  - { name: broke, balance: 0.000001, keys: [{ key: %s }] }
                """.formatted(openai.baseUrl(), anthropic.baseUrl(), key("capchat"), key("capnew"), key("capclaude"),
                key("roomy"), key("broke")));
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
    }

    private static long capped(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(200);
        return Long.parseLong(answer.headers().firstValue(CAPPED).orElseThrow());
    }

    @Test
    void chatMaxTokensIsLoweredToWhatTheBalanceAffords() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("capchat"),
                CHAT.formatted("max_tokens"));

        long tokens = capped(answer);
        assertThat(tokens).isBetween(249_000L, 250_000L);
        assertThat(openai.onlyRequest().json().path("max_tokens").asLong()).isEqualTo(tokens);
        assertThat(store.awaitUsage("capchat", 1)).hasSize(1);
    }

    @Test
    void maxCompletionTokensIsLoweredToo() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("capnew"),
                CHAT.formatted("max_completion_tokens"));

        long tokens = capped(answer);
        assertThat(openai.onlyRequest().json().path("max_completion_tokens").asLong()).isEqualTo(tokens);
        assertThat(openai.onlyRequest().json().has("max_tokens")).isFalse();
    }

    @Test
    void messagesMaxTokensIsLoweredToWhatTheBalanceAffords() {
        anthropic.always(AnthropicReply.ok());

        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key("capclaude"), MESSAGE);

        long tokens = capped(answer);
        assertThat(tokens).isBetween(249_000L, 250_000L);
        assertThat(anthropic.onlyRequest().json().path("max_tokens").asLong()).isEqualTo(tokens);
    }

    @Test
    void aRequestTheBalanceCoversIsSentAsItCame() {
        openai.always(FakeReply.ok());

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("roomy"),
                CHAT.formatted("max_tokens").replace("1000000", "1000"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue(CAPPED)).isEmpty();
        assertThat(openai.onlyRequest().json().path("max_tokens").asLong()).isEqualTo(1000);
    }

    @Test
    void aBalanceThatCannotCoverThePromptIsStillRefused() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("broke"), CHAT.formatted("max_tokens"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("max_tokens: 1000000 (expected: at most 0, the output tokens this balance"
                + " affords after the prompt; it cannot cover the prompt alone)");
        assertThat(openai.requests()).isEmpty();
    }
}
