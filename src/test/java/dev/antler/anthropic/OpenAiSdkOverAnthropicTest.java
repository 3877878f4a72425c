package dev.antler.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.SdkClients;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The official OpenAI SDK, unchanged, against a model only an {@code anthropic} channel serves: translated both ways. */
class OpenAiSdkOverAnthropicTest {

    private static final String CLAUDE = "claude-haiku-4-5";
    private static final ChatCompletionFunctionTool WEATHER = ChatCompletionFunctionTool.builder()
            .function(FunctionDefinition.builder().name("get_weather").description("Current weather in a city")
                    .parameters(FunctionParameters.builder()
                            .putAdditionalProperty("type", JsonValue.from("object"))
                            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                            .build())
                    .build())
            .build();

    private static FakeAnthropic anthropic;
    private static GatewayHarness gw;
    private static SdkClients sdk;
    private static StoreView store;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropic.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0002, models: [%s],
                      model_mapping: { %s: claude-haiku-4-5-20251001 } }
                users:
                %s""".formatted(anthropic.baseUrl(), CLAUDE, CLAUDE, TestUsers.yaml("plain", "streamer", "tooler")));
        sdk = new SdkClients(gw);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        gw.close();
        anthropic.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
    }

    private static OpenAIClient client(String user) {
        return sdk.of(user);
    }

    @Test
    void plainCompletion() {
        ChatCompletion completion = client("plain").chat().completions().create(ChatCompletionCreateParams.builder()
                .model(CLAUDE).addSystemMessage("Answer briefly.").addUserMessage("Say hello").maxCompletionTokens(200)
                .temperature(0.3).stop("END").build());

        assertThat(completion.choices().get(0).message().content()).contains(AnthropicReply.ok().text());
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo(CLAUDE);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(6);
        JsonNode sent = anthropic.onlyRequest().json();
        assertThat(anthropic.onlyRequest().path()).isEqualTo("/v1/messages");
        assertThat(anthropic.onlyRequest().header("x-api-key")).isEqualTo("sk-ant-upstream-0002");
        assertThat(anthropic.onlyRequest().header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.path("model").asString()).isEqualTo("claude-haiku-4-5-20251001");
        assertThat(sent.path("system").asString()).isEqualTo("Answer briefly.");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(200);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(sent.path("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(sent.path("messages").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Say hello\"}]}]");
    }

    @Test
    void streamedCompletionWithUsage() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client("streamer").chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(CLAUDE).addUserMessage("Say hello")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }
        ChatCompletion completion = accumulator.chatCompletion();

        assertThat(completion.choices().get(0).message().content()).contains(AnthropicReply.ok().text());
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(6);
        assertThat(anthropic.onlyRequest().json().path("stream").asBoolean()).isTrue();
        assertThat(anthropic.onlyRequest().json().path("max_tokens").asLong()).isEqualTo(ChatToMessages.DEFAULT_MAX_TOKENS);
        assertThat(store.onlyUsage("streamer").completionTokens()).isEqualTo(6);
    }

    @Test
    void streamedToolCallsAndTheToolResultTurn() {
        anthropic.enqueue(AnthropicReply.ok().content().tool("toolu_01A09q90qw90lq917835lq9", "get_weather",
                "{\"city\"", ": \"Paris\"}"));
        ChatCompletionCreateParams.Builder first = ChatCompletionCreateParams.builder().model(CLAUDE).addTool(WEATHER)
                .addUserMessage("What is the weather in Paris?");
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client("tooler").chat().completions()
                .createStreaming(first.build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion completion = accumulator.chatCompletion();

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\": \"Paris\"}");
        JsonNode tool = anthropic.onlyRequest().json().path("tools").path(0);
        assertThat(tool.path("name").asString()).isEqualTo("get_weather");
        assertThat(tool.path("input_schema").path("required").toString()).isEqualTo("[\"city\"]");

        reset();
        ChatCompletion answer = client("tooler").chat().completions().create(first
                .addMessage(choice.message().toParam())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18°C, sunny").build())
                .build());

        assertThat(answer.choices().get(0).message().content()).contains(AnthropicReply.ok().text());
        JsonNode messages = anthropic.onlyRequest().json().path("messages");
        assertThat(messages.path(1).path("content").path(0).path("type").asString()).isEqualTo("tool_use");
        assertThat(messages.path(1).path("content").path(0).path("input").toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.path(2).path("content").path(0).path("type").asString()).isEqualTo("tool_result");
        assertThat(messages.path(2).path("content").path(0).path("content").asString()).isEqualTo("18°C, sunny");
    }
}
