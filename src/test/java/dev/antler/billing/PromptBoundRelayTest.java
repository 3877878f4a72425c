package dev.antler.billing;

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
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds bound what a request can cost, images included: many concurrent requests that each carry an image
 * and ask for one output token cannot take a balance below zero by more than one request's hold, and the
 * balance stays what the usage log and the ledger say. Refusals name the output tokens the balance affords.
 */
class PromptBoundRelayTest {

    private static final long OPENING = 1_000_000_000L;
    /** 100 USD per million input tokens: 100,000 nano-USD a token; output 400 USD, 400,000 a token. */
    private static final long INPUT_NANOS = 100_000;
    private static final long OUTPUT_NANOS = 400_000;
    private static final long IMAGE_PROMPT_TOKENS = 800;
    private static final String CHAT_WITH_IMAGE = """
            {"model":"gpt-4o","max_tokens":1,"messages":[{"role":"user","content":[
            {"type":"text","text":"What is in this picture?"},
            {"type":"image_url","image_url":{"url":"https://images.example.com/cat.png","detail":"high"}}]}]}""";
    private static final String MESSAGE_WITH_IMAGE = """
            {"model":"claude-sonnet-4-5","max_tokens":1,"messages":[{"role":"user","content":[
            {"type":"image","source":{"type":"url","url":"https://images.example.com/cat.png"}},
            {"type":"text","text":"What is in this picture?"}]}]}""";
    /** An upper bound of one hold: every body byte a token, plus the family's image bound, plus the output. */
    private static final long OPENAI_HOLD_BOUND = (CHAT_WITH_IMAGE.length() + 1600 + 100) * INPUT_NANOS + OUTPUT_NANOS;
    private static final long ANTHROPIC_HOLD_BOUND = (MESSAGE_WITH_IMAGE.length() + 1600 + 100) * INPUT_NANOS
            + OUTPUT_NANOS;

    private static FakeOpenAi openai;
    private static FakeAnthropic anthropic;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: gpt, base_url: "%s", key: sk-upstream-bound-0001, models: [gpt-4o] }
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-bound-0001, models: [claude-sonnet-4-5] }
                prices:
                  gpt-4o: { input_per_mtok: 100, output_per_mtok: 400 }
                  claude-sonnet-4-5: { input_per_mtok: 100, output_per_mtok: 400 }
                users:
                  - { name: gptpics, balance: 1, keys: [{ key: %s }] }
                  - { name: claudepics, balance: 1, keys: [{ key: %s }] }
                  - { name: gptshort, balance: 1, keys: [{ key: %s }] }
                  - { name: claudeshort, balance: 1, keys: [{ key: %s }] }
                """.formatted(openai.baseUrl(), anthropic.baseUrl(), key("gptpics"), key("claudepics"),
                key("gptshort"), key("claudeshort")));
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

    @Test
    void concurrentChatRequestsWithImagesStayWithinTheBalance() throws Exception {
        openai.always(FakeReply.ok().usage(IMAGE_PROMPT_TOKENS, 1, 0).delay(300));

        List<HttpResponse<String>> answers = hundredAtOnce(
                () -> RawHttp.post(gw, "/v1/chat/completions", key("gptpics"), CHAT_WITH_IMAGE));

        long admitted = answers.stream().filter(a -> a.statusCode() == 200).count();
        assertBalanceBounded("gptpics", admitted, OPENAI_HOLD_BOUND);
        assertThat(openai.requests()).hasSize((int) admitted);
        assertSomeRefused(answers);
    }

    @Test
    void concurrentMessagesWithImagesStayWithinTheBalance() throws Exception {
        anthropic.always(AnthropicReply.ok().usage(IMAGE_PROMPT_TOKENS, 1, 0, 0)).delayAll(300);

        List<HttpResponse<String>> answers = hundredAtOnce(
                () -> AnthropicHttp.post(gw, "/v1/messages", key("claudepics"), MESSAGE_WITH_IMAGE));

        long admitted = answers.stream().filter(a -> a.statusCode() == 200).count();
        assertBalanceBounded("claudepics", admitted, ANTHROPIC_HOLD_BOUND);
        assertThat(anthropic.requests()).hasSize((int) admitted);
        assertSomeRefused(answers);
    }

    @Test
    void chatRefusalNamesTheOutputTokensTheBalanceAffords() {
        HttpResponse<String> refused = RawHttp.post(gw, "/v1/chat/completions", key("gptshort"),
                CHAT_WITH_IMAGE.replace("\"max_tokens\":1,", "\"max_tokens\":100000,"));

        assertThat(refused.statusCode()).isEqualTo(403);
        String message = Json.MAPPER.readTree(refused.body()).path("error").path("message").asString();
        assertThat(message).startsWith("insufficient balance: 1.00 USD available, this request needs up to ");
        long affordable = affordable(message, "max_tokens: 100000 (expected: at most ");
        // The prompt is about 1600 image tokens and some text, at 0.0001 USD each; the rest buys output at 0.0004.
        assertThat(affordable).isBetween(2000L, 2150L);
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void messagesRefusalNamesTheOutputTokensTheBalanceAffordsInAnthropicsEnvelope() {
        HttpResponse<String> refused = AnthropicHttp.post(gw, "/v1/messages", key("claudeshort"),
                MESSAGE_WITH_IMAGE.replace("\"max_tokens\":1,", "\"max_tokens\":100000,"));

        assertThat(refused.statusCode()).isEqualTo(403);
        var error = Json.MAPPER.readTree(refused.body());
        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("type").asString()).isEqualTo("permission_error");
        long affordable = affordable(error.path("error").path("message").asString(),
                "max_tokens: 100000 (expected: at most ");
        assertThat(affordable).isBetween(2000L, 2100L);
        assertThat(anthropic.requests()).isEmpty();
    }

    private static long affordable(String message, String before) {
        assertThat(message).contains(before).contains(", the output tokens this balance affords after the prompt)");
        int start = message.indexOf(before) + before.length();
        return Long.parseLong(message.substring(start, message.indexOf(',', start)));
    }

    private static List<HttpResponse<String>> hundredAtOnce(Callable<HttpResponse<String>> call) throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(clients.submit(call));
            }
            for (Future<HttpResponse<String>> answer : calls) {
                answers.add(answer.get());
            }
        }
        return answers;
    }

    private static void assertSomeRefused(List<HttpResponse<String>> answers) {
        assertThat(answers).anyMatch(a -> a.statusCode() == 200);
        assertThat(answers).filteredOn(a -> a.statusCode() != 200).isNotEmpty().allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(403);
            assertThat(a.body()).containsAnyOf("insufficient_quota", "permission_error");
        });
    }

    /** Balance >= -(one hold), and balance == opening - sum of usage rows == sum of ledger rows, to the nano-dollar. */
    private static void assertBalanceBounded(String user, long admitted, long oneHold) {
        List<StoreView.UsageRow> rows = store.awaitUsage(user, (int) admitted);
        gw.awaitLedger();
        long charged = rows.stream().mapToLong(StoreView.UsageRow::costNanos).sum();
        assertThat(rows).allSatisfy(row -> assertThat(row.costNanos())
                .isEqualTo(IMAGE_PROMPT_TOKENS * INPUT_NANOS + OUTPUT_NANOS));
        assertThat(store.balance(user)).isGreaterThanOrEqualTo(-oneHold)
                .isEqualTo(OPENING - charged)
                .isEqualTo(store.ledgerSum(user));
    }
}
