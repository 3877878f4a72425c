package dev.antler.routing;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.AnthropicHttp;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel that names the model wins over a catch-all channel (empty {@code models}) of either format:
 * explicit native, explicit translated, catch-all native, catch-all translated — on {@code /v1/messages}
 * and on {@code /v1/chat/completions}.
 */
class CrossFormatRoutingTest {

    private static FakeAnthropic anthropicAll;
    private static FakeAnthropic anthropicNamed;
    private static FakeOpenAi openaiAll;
    private static FakeOpenAi openaiNamed;
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        anthropicAll = FakeAnthropic.start();
        anthropicNamed = FakeAnthropic.start();
        openaiAll = FakeOpenAi.start();
        openaiNamed = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: claude-any, type: anthropic, base_url: "%s", key: sk-ant-any-0009 }
                  - { name: claude-opus, type: anthropic, base_url: "%s", key: sk-ant-opus-0009,
                      models: [claude-opus-4-5, claude-haiku-4-5] }
                  - { name: gpt-any, base_url: "%s", key: sk-openai-any-0009 }
                  - { name: gpt-4o, base_url: "%s", key: sk-openai-4o-0009, models: [gpt-4o, claude-haiku-4-5] }
                users:
                %s""".formatted(anthropicAll.baseUrl(), anthropicNamed.baseUrl(), openaiAll.baseUrl(),
                openaiNamed.baseUrl(), TestUsers.yaml("router")));
    }

    @AfterAll
    static void stop() {
        gw.close();
        anthropicAll.close();
        anthropicNamed.close();
        openaiAll.close();
        openaiNamed.close();
    }

    @BeforeEach
    void reset() {
        anthropicAll.reset();
        anthropicNamed.reset();
        openaiAll.reset();
        openaiNamed.reset();
    }

    private static HttpResponse<String> messages(String model) {
        return AnthropicHttp.post(gw, "/v1/messages", key("router"), """
                {"model":"%s","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""".formatted(model));
    }

    private static HttpResponse<String> chat(String model) {
        return RawHttp.post(gw, "/v1/chat/completions", key("router"), """
                {"model":"%s","messages":[{"role":"user","content":"Hi"}]}""".formatted(model));
    }

    @Test
    void messagesForAModelAnOpenAiChannelNamesGoTranslatedRatherThanToTheCatchAllAnthropicChannel() {
        HttpResponse<String> answer = messages("gpt-4o");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).path("type").asString()).isEqualTo("message");
        assertThat(openaiNamed.onlyRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(anthropicAll.requests()).isEmpty();
        assertThat(openaiAll.requests()).isEmpty();
    }

    @Test
    void chatForAModelAnAnthropicChannelNamesGoesTranslatedRatherThanToTheCatchAllOpenAiChannel() {
        HttpResponse<String> answer = chat("claude-opus-4-5");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).path("object").asString()).isEqualTo("chat.completion");
        assertThat(anthropicNamed.onlyRequest().path()).isEqualTo("/v1/messages");
        assertThat(openaiAll.requests()).isEmpty();
        assertThat(anthropicAll.requests()).isEmpty();
    }

    @Test
    void aModelNoChannelNamesGoesToTheCatchAllChannelOfTheRoutesOwnFormat() {
        assertThat(messages("claude-sonnet-4-5").statusCode()).isEqualTo(200);
        assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(200);

        assertThat(anthropicAll.onlyRequest().model()).isEqualTo("claude-sonnet-4-5");
        assertThat(openaiAll.onlyRequest().model()).isEqualTo("gpt-4o-mini");
        assertThat(anthropicNamed.requests()).isEmpty();
        assertThat(openaiNamed.requests()).isEmpty();
    }

    @Test
    void aModelNamedInBothFormatsGoesNativeFirstThenFailsOverToTheTranslatedChannelNamingIt() {
        anthropicNamed.enqueue(AnthropicReply.error(529, "overloaded_error", "Overloaded"));

        HttpResponse<String> answer = messages("claude-haiku-4-5");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(anthropicNamed.onlyRequest().model()).isEqualTo("claude-haiku-4-5");
        assertThat(openaiNamed.onlyRequest().model()).isEqualTo("claude-haiku-4-5");
        assertThat(anthropicAll.requests()).isEmpty();
        assertThat(openaiAll.requests()).isEmpty();
    }

    @Test
    void aRequestThatCannotBeTranslatedStaysWithTheNativeChannelsWhenSomeServeTheModel() {
        HttpResponse<String> answer = AnthropicHttp.post(gw, "/v1/messages", key("router"), """
                {"model":"claude-haiku-4-5","max_tokens":16,"top_k":5,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(anthropicNamed.onlyRequest().model()).isEqualTo("claude-haiku-4-5");
        assertThat(openaiNamed.requests()).isEmpty();
    }

    @Test
    void countTokensFollowsTheSameRuleAndIsEstimatedWhenAnOpenAiChannelIsTheFirstChoice() {
        HttpResponse<String> estimated = AnthropicHttp.post(gw, "/v1/messages/count_tokens", key("router"), """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hello, world"}]}""");
        HttpResponse<String> counted = AnthropicHttp.post(gw, "/v1/messages/count_tokens", key("router"), """
                {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello, world"}]}""");

        assertThat(estimated.statusCode()).as(estimated.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(estimated.body()).path("input_tokens").asLong()).isPositive();
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        assertThat(anthropicAll.onlyRequest().path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(openaiNamed.requests()).isEmpty();
        assertThat(openaiAll.requests()).isEmpty();
    }
}
