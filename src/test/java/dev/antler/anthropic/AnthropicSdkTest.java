package dev.antler.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import dev.antler.testing.AnthropicClients;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The official Anthropic SDK, unchanged, against the gateway: a model of an {@code anthropic} channel
 * (relayed natively) and a model of an OpenAI-format channel (translated), with identical client code.
 */
class AnthropicSdkTest {

    static final String CLAUDE = "claude-sonnet-4-5";
    static final String GPT = "gpt-4o-mini";
    static final Tool WEATHER = Tool.builder().name("get_weather").description("Current weather in a city")
            .inputSchema(Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .required(List.of("city")).build())
            .build();

    private static FakeAnthropic anthropic;
    private static FakeOpenAi openai;
    private static GatewayHarness gw;
    private static AnthropicClients sdk;
    private static StoreView store;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropic.start();
        openai = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0001, models: [%s] }
                  - { name: gpt, base_url: "%s/v1", key: sk-openai-upstream-0001, models: [%s] }
                users:
                %s""".formatted(anthropic.baseUrl(), CLAUDE, openai.baseUrl(), GPT,
                TestUsers.yaml("plain", "streamer", "tooler", "headers", "counter", "lister")));
        sdk = new AnthropicClients(gw);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        gw.close();
        anthropic.close();
        openai.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        openai.reset();
    }

    /** The one request the upstream serving {@code model} received. */
    private static ReceivedRequest upstreamRequest(String model) {
        return model.equals(CLAUDE) ? anthropic.onlyRequest() : openai.onlyRequest();
    }

    private static String expectedText(String model) {
        return model.equals(CLAUDE) ? AnthropicReply.ok().text() : FakeReply.ok().text();
    }

    private static String text(Message message) {
        StringBuilder text = new StringBuilder();
        message.content().forEach(block -> block.text().ifPresent(t -> text.append(t.text())));
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void plainMessage(String model) {
        Message message = sdk.of("plain").messages().create(MessageCreateParams.builder().model(model).maxTokens(300)
                .system("Answer briefly.").addUserMessage("Say hello").stopSequences(List.of("END"))
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.5)).build());

        assertThat(text(message)).isEqualTo(expectedText(model));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.model().asString()).isEqualTo(model);
        long input = model.equals(CLAUDE) ? 12 : 10;
        assertThat(message.usage().inputTokens()).isEqualTo(input);
        JsonNode sent = upstreamRequest(model).json();
        if (model.equals(GPT)) {
            assertThat(sent.path("messages").toString()).isEqualTo(
                    "[{\"role\":\"system\",\"content\":\"Answer briefly.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
            assertThat(sent.path("max_tokens").asInt()).isEqualTo(300);
            assertThat(sent.path("temperature").asDouble()).isEqualTo(0.5);
            assertThat(sent.path("stop").toString()).isEqualTo("[\"END\"]");
        } else {
            assertThat(sent.path("system").asString()).isEqualTo("Answer briefly.");
        }
        store.awaitUsage("plain", model.equals(CLAUDE) ? 1 : 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void streamedMessageArrivesAsAnthropicEvents(String model) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> types = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.of("streamer").messages().createStreaming(
                MessageCreateParams.builder().model(model).maxTokens(300).addUserMessage("Say hello").build())) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                types.add(event._json().map(Object::toString).orElse("") + typeOf(event));
            });
        }
        Message message = accumulator.message();

        assertThat(text(message)).isEqualTo(expectedText(model));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(types.get(0)).endsWith("message_start");
        assertThat(types.get(types.size() - 1)).endsWith("message_stop");
        assertThat(message.usage().outputTokens()).isEqualTo(model.equals(CLAUDE) ? 6 : 2);
    }

    private static String typeOf(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        }
        if (event.isMessageStop()) {
            return "message_stop";
        }
        if (event.isMessageDelta()) {
            return "message_delta";
        }
        return event.isContentBlockStart() ? "content_block_start"
                : event.isContentBlockDelta() ? "content_block_delta" : "content_block_stop";
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void streamedToolUseConversation(String model) {
        anthropic.enqueue(AnthropicReply.ok().content("Let me check.").tool("toolu_01A09q90qw90lq917835lq9",
                "get_weather", "{\"city\":", " \"Paris\"}"));
        openai.enqueue(FakeReply.ok().content("Let me check.").toolCall("call_abc123", "get_weather",
                "{\"city\":", " \"Paris\"}"));
        MessageCreateParams.Builder first = MessageCreateParams.builder().model(model).maxTokens(300).addTool(WEATHER)
                .addUserMessage("What is the weather in Paris?");
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = sdk.of("tooler").messages().createStreaming(first.build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Message message = accumulator.message();

        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(text(message)).isEqualTo("Let me check.");
        ToolUseBlock call = message.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
        JsonNode firstSent = upstreamRequest(model).json();
        if (model.equals(GPT)) {
            assertThat(firstSent.path("tools").path(0).path("function").path("parameters").path("required").toString())
                    .isEqualTo("[\"city\"]");
        }

        reset();
        Message answer = sdk.of("tooler").messages().create(first.addMessage(message.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("18°C, sunny").build())))
                .build());

        assertThat(text(answer)).isEqualTo(expectedText(model));
        JsonNode sent = upstreamRequest(model).json();
        if (model.equals(GPT)) {
            JsonNode messages = sent.path("messages");
            assertThat(messages.path(1).path("tool_calls").path(0).path("id").asString()).isEqualTo(call.id());
            assertThat(messages.path(1).path("tool_calls").path(0).path("function").path("arguments").asString())
                    .isEqualTo("{\"city\":\"Paris\"}");
            assertThat(messages.path(2).path("role").asString()).isEqualTo("tool");
            assertThat(messages.path(2).path("tool_call_id").asString()).isEqualTo(call.id());
            assertThat(messages.path(2).path("content").asString()).isEqualTo("18°C, sunny");
        } else {
            assertThat(sent.path("messages").path(2).path("content").path(0).path("tool_use_id").asString())
                    .isEqualTo(call.id());
        }
    }

    @Test
    void nativeRelayCarriesTheChannelKeyAndTheClientsVersionAndBetaHeaders() {
        sdk.of("headers").messages().create(MessageCreateParams.builder().model(CLAUDE).maxTokens(100)
                .addUserMessage("Hi").putAdditionalHeader("anthropic-beta", "prompt-caching-2024-07-31")
                .putAdditionalHeader("anthropic-version", "2024-10-22").build());

        ReceivedRequest sent = anthropic.onlyRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-upstream-0001");
        assertThat(sent.header("anthropic-version")).isEqualTo("2024-10-22");
        assertThat(sent.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.headers().toString()).doesNotContain(TestUsers.key("headers"));
    }

    @Test
    void countTokensIsRelayedAndFree() {
        anthropic.always(AnthropicReply.ok().usage(42, 0, 0, 0));
        long tokens = sdk.of("counter").messages().countTokens(MessageCountTokensParams.builder().model(CLAUDE)
                .addUserMessage("How many tokens is this?").build()).inputTokens();

        assertThat(tokens).isEqualTo(42);
        assertThat(anthropic.onlyRequest().path()).isEqualTo("/v1/messages/count_tokens");
        StoreView.UsageRow row = store.onlyUsage("counter");
        assertThat(row.endpoint()).isEqualTo("messages.count_tokens");
        assertThat(row.costNanos()).isZero();
    }

    @Test
    void modelListInAnthropicsShape() {
        List<String> ids = sdk.of("lister").models().list().data().stream().map(ModelInfo::id).toList();

        assertThat(ids).containsExactly(CLAUDE, GPT);
    }
}
