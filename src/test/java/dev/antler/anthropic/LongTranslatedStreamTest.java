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
import dev.antler.testing.SlowClient;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Long streams (6,000 deltas, some 6 MB: more than the sockets' buffers hold) translated both ways arrive whole, in
 * order and ended as complete, to a client that reads at once and to one that reads slowly (so the gateway pauses the
 * upstream, and the upstream waits for the gateway), after an untranslated stream of the same length on the same
 * gateway and upstreams. A stream that stalls ends as
 * {@code timeout} after the channels' short idle timeout, and its case fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LongTranslatedStreamTest {

    private static final String[] DELTAS = new String[6_000];
    private static final String TEXT;

    static {
        String words = " of a long answer, told word by word until the reader tires of it.".repeat(15);
        Arrays.setAll(DELTAS, i -> " <" + i + ">" + words);
        TEXT = String.join("", DELTAS);
    }

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
                  - { name: gpt, base_url: "%s", key: sk-openai-upstream-0032, models: [gpt-4o-mini],
                      idle_timeout_ms: 15000 }
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0032, models: [claude-haiku-4-5],
                      idle_timeout_ms: 15000 }
                users:
                %s""".formatted(openai.baseUrl(), anthropic.baseUrl(), TestUsers.yaml("longstream")));
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
        openai.always(FakeReply.ok().usage(11, 6_000, 0).content(DELTAS));
        anthropic.reset();
        anthropic.always(AnthropicReply.ok().usage(12, 6_000, 0, 0).content(DELTAS));
    }

    @Test
    @Order(1)
    void anUntranslatedChatStreamArrivesWhole() {
        Delivered answer = post("/v1/chat/completions", chatRequest("gpt-4o-mini"), false);

        assertTheText(chatText(chatChunks(answer.body())));
        assertComplete(answer);
    }

    @ParameterizedTest(name = "slow client: {0}")
    @ValueSource(booleans = {false, true})
    @Order(2)
    void anAnthropicClientGetsALongStreamFromAnOpenAiChannelWhole(boolean slow) {
        Delivered answer = post("/v1/messages", """
                {"model":"gpt-4o-mini","max_tokens":50000,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""",
                slow);

        assertThat(answer.body().length()).isGreaterThan(6_000_000);
        List<String> events = Arrays.asList(answer.body().split("\n\n"));
        StringBuilder text = new StringBuilder();
        for (String event : events) {
            if (event.startsWith("event: content_block_delta\n")) {
                text.append(data(event).path("delta").path("text").asString());
            }
        }
        assertTheText(text.toString());
        assertThat(data(events.get(events.size() - 2)).path("usage").path("output_tokens").asLong()).isEqualTo(6_000);
        assertThat(events.getLast()).isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}");
        assertComplete(answer);
    }

    @ParameterizedTest(name = "slow client: {0}")
    @ValueSource(booleans = {false, true})
    @Order(3)
    void aChatClientGetsALongStreamFromAnAnthropicChannelWhole(boolean slow) {
        Delivered answer = post("/v1/chat/completions", chatRequest("claude-haiku-4-5"), slow);

        assertThat(answer.body().length()).isGreaterThan(6_000_000);
        List<JsonNode> chunks = chatChunks(answer.body());
        assertTheText(chatText(chunks));
        assertThat(chunks.getLast().path("usage").path("completion_tokens").asLong()).isEqualTo(6_000);
        assertComplete(answer);
    }

    private static String chatRequest(String model) {
        return """
                {"model":"%s","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hi"}]}""".formatted(model);
    }

    /** A streamed answer's request id and body. */
    private record Delivered(String requestId, String body) {}

    /** The answer to {@code json}, read at once by an HTTP client, or slowly by a {@link SlowClient}. */
    private static Delivered post(String path, String json, boolean slowly) {
        if (slowly) {
            SlowClient.Answer answer = SlowClient.post(gw, path, key("longstream"), json);
            assertThat(answer.head()).startsWith("HTTP/1.1 200");
            return new Delivered(answer.header("X-Request-Id"), answer.body());
        }
        HttpResponse<String> answer = path.equals("/v1/messages") ? AnthropicHttp.post(gw, path, key("longstream"), json)
                : RawHttp.post(gw, path, key("longstream"), json);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new Delivered(answer.headers().firstValue("X-Request-Id").orElseThrow(), answer.body());
    }

    /** The chunks of a chat stream, which must end with {@code [DONE]}. */
    private static List<JsonNode> chatChunks(String body) {
        assertThat(body).endsWith("data: [DONE]\n\n");
        return Arrays.stream(body.split("\n\n")).filter(event -> !event.equals("data: [DONE]"))
                .map(event -> {
                    assertThat(event).startsWith("data: {");
                    return Json.MAPPER.readTree(event.substring("data: ".length()));
                }).toList();
    }

    private static String chatText(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asString(""));
            }
        }
        return text.toString();
    }

    /** {@code text} is the whole answer, in order (told by where it first differs, not by 6 MB of both). */
    private static void assertTheText(String text) {
        int differs = Arrays.mismatch(text.toCharArray(), TEXT.toCharArray());
        assertThat(differs).as("where %d characters of text differ from the %d of the answer: %s", text.length(),
                TEXT.length(), differs < 0 ? "" : text.substring(differs, Math.min(text.length(), differs + 80)))
                .isEqualTo(-1);
    }

    private static JsonNode data(String event) {
        return Json.MAPPER.readTree(event.substring(event.indexOf("\ndata: ") + "\ndata: ".length()));
    }

    private static void assertComplete(Delivered answer) {
        UsageRow row = store.awaitRequest(answer.requestId());
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.completionTokens()).isEqualTo(6_000);
    }
}
