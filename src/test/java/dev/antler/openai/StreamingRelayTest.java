package dev.antler.openai;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How streams end: completely, with the client gone, or cut by the upstream; and what each is billed. */
class StreamingRelayTest {

    private static final long OPENING = 10_000_000_000L;
    private static final String CHAT = """
            {"model":"gpt-4o-mini","stream":true,"max_tokens":1000,
             "messages":[{"role":"user","content":"Write a haiku about the sea"}]}""";

    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels: [{ name: main, base_url: "%s", key: sk-upstream-0001, models: [gpt-4o-mini] }]
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("complete", "responses", "legacy", "leaver",
                "early", "cut")));
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

    @Test
    void completeStreamIsRelayedEventByEventAndEndsWithDone() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("complete"), CHAT);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(answer.headers().firstValue("X-Request-Id")).isPresent();
        List<String> events = List.of(answer.body().split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: "));
        assertThat(events).last().isEqualTo("data: [DONE]");
        assertThat(answer.body()).doesNotContain("\"choices\":[]").doesNotContain("prompt_tokens");
        UsageRow row = store.onlyUsage("complete");
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.costNanos()).isEqualTo(2_700);
        assertThat(row.requestId()).isEqualTo(answer.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void responsesStreamIsBilledFromResponseCompleted() {
        upstream.enqueue(FakeReply.ok().usage(40, 8, 0));
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/responses", key("responses"),
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"Say hello\"}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("event: response.created\ndata: ")
                .contains("event: response.output_text.delta\n")
                .contains("event: response.completed\n")
                .doesNotContain("[DONE]");
        assertThat(upstream.onlyRequest().json().has("stream_options")).isFalse();
        UsageRow row = store.onlyUsage("responses");
        assertThat(row.promptTokens()).isEqualTo(40);
        assertThat(row.completionTokens()).isEqualTo(8);
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.costNanos()).isEqualTo(40 * 150 + 8 * 600);
    }

    @Test
    void legacyCompletionStreamHidesTheInjectedUsageChunk() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/completions", key("legacy"),
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"prompt\":\"Say this is a test\"}");

        assertThat(answer.body()).contains("\"text\":\"Hello\"").endsWith("data: [DONE]\n\n")
                .doesNotContain("\"choices\":[]");
        assertThat(upstream.onlyRequest().includeUsage()).isTrue();
        assertThat(store.onlyUsage("legacy").billedBasis()).isEqualTo("reported");
    }

    @Test
    void clientThatHangsUpIsBilledForWhatWasDeliveredAndTheUpstreamIsStopped() throws Exception {
        upstream.enqueue(FakeReply.ok().content("Hello", " there", ",", " sea", " of", " light", ".")
                .eventDelay(250));

        String received = RawHttp.postAndHangUpAfter(gw, "/v1/chat/completions", key("leaver"), CHAT,
                "\"content\":\"Hello\"");

        assertThat(received).startsWith("HTTP/1.1 200");
        upstream.onlyRequest().abandoned().get(5, TimeUnit.SECONDS);
        UsageRow row = store.awaitUsage("leaver", 1).get(0);
        assertThat(row.endReason()).isEqualTo("client_gone");
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.completionTokens()).isBetween(1L, 2L);
        assertThat(row.promptTokens()).isPositive();
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150 + row.completionTokens() * 600)
                .isLessThan(1000 * 600);
        assertThat(store.balance("leaver")).isEqualTo(OPENING - row.costNanos());
        assertThat(store.ledgerSum("leaver")).isEqualTo(store.balance("leaver"));
    }

    @Test
    void clientThatHangsUpBeforeTheAnswerIsNotChargedAndTheUpstreamIsStopped() throws Exception {
        upstream.enqueue(FakeReply.ok().delay(3_000));

        RawHttp.postAndHangUpWhen(gw, "/v1/chat/completions", key("early"), CHAT,
                () -> !upstream.requests().isEmpty());

        upstream.onlyRequest().abandoned().get(5, TimeUnit.SECONDS);
        UsageRow row = store.awaitUsage("early", 1).get(0);
        assertThat(row.endReason()).isEqualTo("client_gone");
        assertThat(row.statusCode()).isEqualTo(499);
        assertThat(row.costNanos()).isZero();
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(store.balance("early")).isEqualTo(OPENING);
    }

    @Test
    void streamCutByTheUpstreamEndsWithAnErrorEventAndNeverDone() {
        upstream.enqueue(FakeReply.ok().cutAfter(2));

        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("cut"), CHAT);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"content\":\"Hello\"").doesNotContain("[DONE]");
        List<String> events = List.of(answer.body().split("\n\n"));
        String last = events.get(events.size() - 1);
        assertThat(last).startsWith("data: {\"error\":").contains("upstream_cut")
                .contains(answer.headers().firstValue("X-Request-Id").orElseThrow());
        UsageRow row = store.onlyUsage("cut");
        assertThat(row.endReason()).isEqualTo("upstream_cut");
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.completionTokens()).isEqualTo(1);
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150 + 600);
        assertThat(store.balance("cut")).isEqualTo(OPENING - row.costNanos());
    }
}
