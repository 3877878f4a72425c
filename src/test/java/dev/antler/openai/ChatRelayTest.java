package dev.antler.openai;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.SdkClients;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chat, completions, Responses and moderations through the official OpenAI SDK, against a fake upstream. */
class ChatRelayTest {

    private static final String CHANNEL_KEY = "sk-upstream-channel-key-0001";
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;
    private static SdkClients sdk;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - name: main
                    base_url: "%s/v1"
                    key: %s
                    models: [gpt-4o-mini, gpt-4o, gpt-3.5-turbo-instruct, omni-moderation-latest]
                    model_mapping: { gpt-4o: gpt-4o-2024-08-06 }
                users:
                %s""".formatted(upstream.baseUrl(), CHANNEL_KEY, TestUsers.yaml("plain", "streamer", "usage",
                "legacy", "responder", "moderator", "models"))
                + "  - { name: restricted, balance: 1, keys: [{ key: sk-restricted-test-key-0001, "
                + "models: [gpt-4o-mini, dall-e-3] }] }\n");
        store = new StoreView(gw);
        sdk = new SdkClients(gw);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void chatCompletionReachesTheUpstreamWithTheChannelKeyAndMappedModel() {
        ChatCompletion completion = sdk.of("plain").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("Say hello").build());

        assertThat(completion.choices().get(0).message().content()).contains("Hello there!");
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(12);
        ReceivedRequest sent = upstream.onlyRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + CHANNEL_KEY);
        assertThat(sent.headers().entries().toString() + sent.text()).doesNotContain(key("plain"));
        assertThat(sent.json().has("stream_options")).isFalse();
        assertThat(sent.json().path("messages").get(0).path("content").asString()).isEqualTo("Say hello");

        UsageRow row = store.onlyUsage("plain");
        assertThat(row.endpoint()).isEqualTo("chat.completions");
        assertThat(row.model()).isEqualTo("gpt-4o");
        assertThat(row.upstreamModel()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(row.channelId()).isEqualTo(store.channelId("main"));
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(row.stream()).isFalse();
        // gpt-4o: 2.50 / 10.00 USD per Mtok -> 10 * 2500 + 2 * 10000 nanos
        assertThat(row.costNanos()).isEqualTo(45_000);
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.billedBasis()).isEqualTo("reported");
    }

    @Test
    void streamedChatAssemblesAndHidesTheUsageChunkTheGatewayAskedFor() {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.of("streamer").chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello").build())) {
            chunks = stream.stream().toList();
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello there!");
        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> {
            assertThat(chunk.choices()).isNotEmpty();
            assertThat(chunk.usage()).isEmpty();
        });
        ReceivedRequest sent = upstream.onlyRequest();
        assertThat(sent.json().path("stream").asBoolean()).isTrue();
        assertThat(sent.includeUsage()).as("include_usage added for billing").isTrue();

        UsageRow row = store.onlyUsage("streamer");
        assertThat(row.stream()).isTrue();
        assertThat(row.promptTokens()).isEqualTo(10);
        assertThat(row.completionTokens()).isEqualTo(2);
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.firstByteMs()).isNotNull();
    }

    @Test
    void streamedChatShowsTheUsageChunkToAClientThatAskedForIt() {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = sdk.of("usage").chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Say hello")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            chunks = stream.stream().toList();
        }

        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(10);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(2);
        String sent = upstream.onlyRequest().text();
        assertThat(sent.split("include_usage", -1)).as("stream_options sent once, unchanged").hasSize(2);
        assertThat(store.onlyUsage("usage").costNanos()).isEqualTo(2_700);
    }

    @Test
    void legacyCompletions() {
        Completion completion = sdk.of("legacy").completions().create(CompletionCreateParams.builder()
                .model("gpt-3.5-turbo-instruct").prompt("Say this is a test").maxTokens(7).build());

        assertThat(completion.choices().get(0).text()).isEqualTo("Hello there!");
        assertThat(upstream.onlyRequest().path()).isEqualTo("/v1/completions");
        UsageRow row = store.onlyUsage("legacy");
        assertThat(row.endpoint()).isEqualTo("completions");
        // 1.50 / 2.00 USD per Mtok
        assertThat(row.costNanos()).isEqualTo(10 * 1_500 + 2 * 2_000);
    }

    @Test
    void responsesApi() {
        upstream.enqueue(FakeReply.ok().usage(30, 5, 0));
        Response response = sdk.of("responder").responses().create(ResponseCreateParams.builder()
                .model("gpt-4o-mini").input("Tell me a three sentence bedtime story.").build());

        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo("Hello there!");
        assertThat(upstream.onlyRequest().path()).isEqualTo("/v1/responses");
        UsageRow row = store.onlyUsage("responder");
        assertThat(row.endpoint()).isEqualTo("responses");
        assertThat(row.promptTokens()).isEqualTo(30);
        assertThat(row.completionTokens()).isEqualTo(5);
        assertThat(row.costNanos()).isEqualTo(30 * 150 + 5 * 600);
        assertThat(row.billedBasis()).isEqualTo("reported");
    }

    @Test
    void moderationsAreRelayedAndLogged() {
        ModerationCreateResponse moderation = sdk.of("moderator").moderations().create(ModerationCreateParams.builder()
                .model("omni-moderation-latest").input("I want to hug them.").build());

        assertThat(moderation.results().get(0).flagged()).isFalse();
        assertThat(upstream.onlyRequest().path()).isEqualTo("/v1/moderations");
        UsageRow row = store.onlyUsage("moderator");
        assertThat(row.endpoint()).isEqualTo("moderations");
        assertThat(row.costNanos()).isZero();
        assertThat(row.endReason()).isEqualTo("complete");
    }

    @Test
    void modelListShowsWhatTheKeyMayUse() {
        HttpResponse<String> list = gw.get("/v1/models", key("models"));
        HttpResponse<String> one = gw.get("/v1/models/gpt-4o", key("models"));
        HttpResponse<String> unknown = gw.get("/v1/models/gpt-9", key("models"));

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(list.body()).path("data").valueStream().map(m -> m.path("id").asString()))
                .containsExactly("gpt-3.5-turbo-instruct", "gpt-4o", "gpt-4o-mini", "omni-moderation-latest");
        assertThat(Json.MAPPER.readTree(one.body()).path("object").asString()).isEqualTo("model");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("model_not_found");
    }

    @Test
    void modelListOfARestrictedKeyShowsOnlyItsServedModels() {
        HttpResponse<String> list = gw.get("/v1/models", "sk-restricted-test-key-0001");
        HttpResponse<String> hidden = gw.get("/v1/models/gpt-4o", "sk-restricted-test-key-0001");

        assertThat(Json.MAPPER.readTree(list.body()).path("data").valueStream().map(m -> m.path("id").asString()))
                .containsExactly("gpt-4o-mini");
        assertThat(hidden.statusCode()).isEqualTo(404);
    }
}
