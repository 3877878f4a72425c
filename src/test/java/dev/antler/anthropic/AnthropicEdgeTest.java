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
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The Messages routes at the edge, over raw HTTP: bad input refused in Anthropic's envelope before
 * anything is charged or forwarded, authentication by {@code x-api-key} or {@code Authorization},
 * the default {@code anthropic-version}, cut streams ending in {@code event: error}, and the model list.
 */
class AnthropicEdgeTest {

    private static FakeAnthropic anthropic;
    private static FakeOpenAi openai;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropic.start();
        openai = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-upstream-0003,
                      models: [claude-sonnet-4-5, claude-haiku-4-5] }
                  - { name: gpt, base_url: "%s", key: sk-openai-upstream-0003, models: [gpt-4o-mini, claude-haiku-4-5] }
                users:
                %s""".formatted(anthropic.baseUrl(), openai.baseUrl(),
                TestUsers.yaml("refused", "bearer", "versionless", "cut", "cutover", "lister", "overloaded", "both",
                "rejected", "estimator", "nativecount")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        anthropic.close();
        openai.close();
    }

    @BeforeEach
    void reset() {
        anthropic.reset();
        openai.reset();
    }

    private static HttpResponse<String> post(String path, String key, String body) {
        return AnthropicHttp.post(gw, path, key, body);
    }

    private static JsonNode anthropicError(HttpResponse<String> answer, int status, String type) {
        JsonNode root = upstreamsAnthropicError(answer, status, type);
        assertThat(root.path("request_id").asString()).isEqualTo(answer.headers().firstValue("X-Request-Id").orElseThrow());
        return root.path("error");
    }

    /** An Anthropic error envelope, possibly the upstream's own (with its request id). */
    private static JsonNode upstreamsAnthropicError(HttpResponse<String> answer, int status, String type) {
        assertThat(answer.statusCode()).isEqualTo(status);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("type").asString()).isEqualTo("error");
        assertThat(root.path("error").path("type").asString()).isEqualTo(type);
        return root;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}                        | 400 | invalid_request_error | max_tokens: missing (expected: an integer from 1 to 2147483647)
            {"model":"claude-sonnet-4-5","max_tokens":0,"messages":[{"role":"user","content":"Hi"}]}         | 400 | invalid_request_error | max_tokens: 0 (expected: an integer from 1 to 2147483647)
            {"model":"claude-sonnet-4-5","max_tokens":9223372036854775807,"messages":[{"role":"user","content":"Hi"}]} | 400 | invalid_request_error | max_tokens: 9223372036854775807 (expected: an integer from 1 to 2147483647)
            {"model":"claude-sonnet-4-5","max_tokens":4611686018427387904,"messages":[{"role":"user","content":"Hi"}]} | 400 | invalid_request_error | max_tokens: 4611686018427387904 (expected: an integer from 1 to 2147483647)
            {"model":"claude-sonnet-4-5","max_tokens":10}                                                    | 400 | invalid_request_error | messages: missing (expected: a non-empty array of messages)
            {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"system","content":"Hi"}]}      | 400 | invalid_request_error | messages[0].role: "system" (expected: user or assistant
            {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text"}]}]} | 400 | invalid_request_error | messages[0].content[0].text: missing (expected: a string)
            {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"picture"}]}]} | 400 | invalid_request_error | messages[0].content[0].type: "picture" (expected: one of
            {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":42}]}          | 400 | invalid_request_error | messages[0].content: 42 (expected: a string or an array of content blocks)
            {"model":"claude-sonnet-4-5","max_tokens":10,"temperature":1.5,"messages":[{"role":"user","content":"Hi"}]} | 400 | invalid_request_error | temperature: 1.5 (expected: a number from 0 to 1)
            {"max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}                                     | 400 | invalid_request_error | model: missing (expected: a non-empty string)
            {"model":"claude-unknown-9","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}          | 404 | not_found_error       | model: claude-unknown-9
            {"model":"gpt-4o-mini","max_tokens":10,"top_k":5,"messages":[{"role":"user","content":"Hi"}]}     | 400 | invalid_request_error | top_k: 5 (expected: only what the OpenAI chat format can carry
            {"model":"gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]} | 400 | invalid_request_error | a user content block of type document
            {"model":"claude-sonnet-4-5",                                                                    | 400 | invalid_request_error | request body: malformed JSON
            """)
    void badInputIsRefusedInAnthropicsEnvelopeNeitherChargedNorForwarded(String body, int status, String type,
                                                                         String message) {
        JsonNode error = anthropicError(post("/v1/messages", key("refused"), body), status, type);

        assertThat(error.path("message").asString()).contains(message);
        gw.awaitLedger();
        assertThat(anthropic.requests()).isEmpty();
        assertThat(openai.requests()).isEmpty();
        assertThat(store.usage("refused")).isEmpty();
        assertThat(store.ledger("refused", "charge")).isEmpty();
    }

    @Test
    void wrongKeyIsAnAuthenticationError() {
        JsonNode error = anthropicError(post("/v1/messages", "sk-nobody-0000", """
                {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""),
                401, "authentication_error");

        assertThat(error.path("message").asString()).doesNotContain("sk-nobody-0000");
        assertThat(anthropic.requests()).isEmpty();
    }

    @Test
    void chatRequestThatCannotBeTranslatedIsRefusedInOpenAisEnvelope() {
        HttpResponse<String> answer = RawHttp.post(gw, "/v1/chat/completions", key("refused"), """
                {"model":"claude-sonnet-4-5","temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("untranslatable_request");
        assertThat(error.path("message").asString()).contains("temperature: 1.5 (expected: 0 to 1");
        gw.awaitLedger();
        assertThat(anthropic.requests()).isEmpty();
        assertThat(store.usage("refused")).isEmpty();
    }

    @Test
    void bearerKeyAndMissingVersionAreAccepted() {
        HttpResponse<String> answer = RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages"))
                .header("Authorization", "Bearer " + key("versionless")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""))
                .build());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).path("type").asString()).isEqualTo("message");
        assertThat(anthropic.onlyRequest().header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(anthropic.onlyRequest().header("x-api-key")).isEqualTo("sk-ant-upstream-0003");
        assertThat(anthropic.onlyRequest().header("Authorization")).isNull();
    }

    @Test
    void eachFormatPrefersTheChannelThatSpeaksIt() {
        String body = """
                {"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";
        assertThat(post("/v1/messages", key("both"), body).statusCode()).isEqualTo(200);
        assertThat(RawHttp.post(gw, "/v1/chat/completions", key("both"), body).statusCode()).isEqualTo(200);

        assertThat(anthropic.onlyRequest().path()).isEqualTo("/v1/messages");
        assertThat(openai.onlyRequest().path()).isEqualTo("/v1/chat/completions");
        assertThat(store.awaitUsage("both", 2)).extracting(UsageRow::channelId)
                .containsExactly(store.channelId("claude"), store.channelId("gpt"));
    }

    @Test
    void upstreamRejectionReachesTheClientInItsOwnFamilysEnvelope() {
        anthropic.enqueue(AnthropicReply.error(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000"));
        openai.enqueue(FakeReply.error(400, "invalid_request_error", "context_length_exceeded", "context too long"));

        JsonNode nativeError = upstreamsAnthropicError(post("/v1/messages", key("rejected"), """
                {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""),
                400, "invalid_request_error").path("error");
        JsonNode translatedError = anthropicError(post("/v1/messages", key("rejected"), """
                {"model":"gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""),
                400, "invalid_request_error");

        assertThat(nativeError.path("message").asString()).isEqualTo("prompt is too long: 250000 tokens > 200000");
        assertThat(translatedError.path("message").asString()).startsWith("context too long");
    }

    @Test
    void upstreamOverloadIsAnAnthropicError() {
        anthropic.enqueue(AnthropicReply.error(529, "overloaded_error", "Overloaded"));
        anthropicError(post("/v1/messages", key("overloaded"), """
                {"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""),
                502, "api_error");

        assertThat(store.onlyUsage("overloaded").costNanos()).isZero();
    }

    @Test
    void nativeStreamCutByTheUpstreamEndsWithAnErrorEventNotMessageStop() {
        anthropic.enqueue(AnthropicReply.ok().cutAfter(4));
        HttpResponse<String> answer = post("/v1/messages", key("cut"), """
                {"model":"claude-sonnet-4-5","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("event: message_start").contains("event: error\ndata: {\"type\":\"error\"")
                .doesNotContain("message_stop");
        UsageRow row = store.onlyUsage("cut");
        assertThat(row.endReason()).isEqualTo("upstream_cut");
        assertThat(row.promptTokens()).isEqualTo(12);
    }

    @Test
    void translatedStreamCutByTheUpstreamEndsWithAnErrorEventNotMessageStop() {
        openai.enqueue(FakeReply.ok().cutAfter(3));
        HttpResponse<String> answer = post("/v1/messages", key("cutover"), """
                {"model":"gpt-4o-mini","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("event: message_start").contains("event: content_block_delta")
                .contains("event: error\n").doesNotContain("message_stop").doesNotContain("message_delta");
        assertThat(store.onlyUsage("cutover").endReason()).isEqualTo("upstream_cut");
    }

    @Test
    void modelListShapeFollowsTheCaller() {
        HttpResponse<String> anthropicShape = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/models?limit=1"))
                .header("x-api-key", key("lister")).header("anthropic-version", "2023-06-01").GET().build());
        HttpResponse<String> openAiShape = RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + key("lister")).GET().build());

        JsonNode page = Json.MAPPER.readTree(anthropicShape.body());
        assertThat(page.path("data").size()).isEqualTo(1);
        assertThat(page.path("data").path(0).path("type").asString()).isEqualTo("model");
        assertThat(page.path("data").path(0).path("id").asString()).isEqualTo("claude-haiku-4-5");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("last_id").asString()).isEqualTo("claude-haiku-4-5");
        JsonNode list = Json.MAPPER.readTree(openAiShape.body());
        assertThat(list.path("object").asString()).isEqualTo("list");
        assertThat(list.path("data").findValuesAsString("id")).containsExactly("claude-haiku-4-5", "claude-sonnet-4-5",
                "gpt-4o-mini");
    }

    @Test
    void theAnthropicSdkWithABearerTokenGetsAnthropicsShapeToo() {
        // The Anthropic SDK's auth_token option sends Authorization: Bearer, always with anthropic-version.
        HttpResponse<String> list = RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models?limit=1"))
                .header("Authorization", "Bearer " + key("lister")).header("anthropic-version", "2023-06-01")
                .GET().build());
        HttpResponse<String> one = RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/models/claude-unknown-9"))
                .header("Authorization", "Bearer " + key("lister")).header("anthropic-version", "2023-06-01")
                .GET().build());

        JsonNode page = Json.MAPPER.readTree(list.body());
        assertThat(page.path("data").path(0).path("type").asString()).as(list.body()).isEqualTo("model");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.has("object")).isFalse();
        anthropicError(one, 404, "not_found_error");
    }

    private static HttpResponse<String> getTheAnthropicWay(String path, String key) {
        return RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01").GET().build());
    }

    @Test
    void modelRoutesAskedTheAnthropicWayAnswerErrorsInAnthropicsEnvelope() {
        JsonNode wrongKey = anthropicError(getTheAnthropicWay("/v1/models", "sk-nobody-0000"), 401,
                "authentication_error");
        JsonNode wrongKeyOne = anthropicError(getTheAnthropicWay("/v1/models/claude-haiku-4-5", "sk-nobody-0000"), 401,
                "authentication_error");
        JsonNode unknown = anthropicError(getTheAnthropicWay("/v1/models/claude-unknown-9", key("lister")), 404,
                "not_found_error");
        JsonNode badLimit = anthropicError(getTheAnthropicWay("/v1/models?limit=0", key("lister")), 400,
                "invalid_request_error");

        assertThat(wrongKey.path("message").asString()).doesNotContain("sk-nobody-0000");
        assertThat(wrongKeyOne.path("message").asString()).startsWith("invalid API key");
        assertThat(unknown.path("message").asString()).contains("model: claude-unknown-9");
        assertThat(badLimit.path("message").asString()).contains("limit: 0 (expected: an integer from 1 to 1000)");
    }

    @Test
    void modelRoutesAskedTheOpenAiWayKeepOpenAisEnvelope() {
        HttpResponse<String> answer = RawHttp.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer sk-nobody-0000").GET().build());

        assertThat(answer.statusCode()).isEqualTo(401);
        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.has("type")).isFalse();
        assertThat(root.path("error").path("message").asString()).isNotEmpty();
    }

    @Test
    void countTokensForAModelOnlyOpenAiChannelsServeIsEstimatedLocallyLoggedAndFree() {
        HttpResponse<String> shortOne = post("/v1/messages/count_tokens", key("estimator"), """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello, world"}]}""");
        HttpResponse<String> longer = post("/v1/messages/count_tokens", key("estimator"), """
                {"model":"gpt-4o-mini","system":"You are a careful assistant who answers briefly.",
                 "tools":[{"name":"get_weather","description":"Current weather in a city",
                           "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"Hello, world. What is the weather like in Lisbon today?"}]}""");

        assertThat(shortOne.statusCode()).as(shortOne.body()).isEqualTo(200);
        JsonNode counted = Json.MAPPER.readTree(shortOne.body());
        assertThat(counted.propertyNames()).containsExactly("input_tokens");
        long few = counted.path("input_tokens").asLong();
        long more = Json.MAPPER.readTree(longer.body()).path("input_tokens").asLong();
        assertThat(few).isBetween(3L, 20L);
        assertThat(more).isGreaterThan(few + 20);
        assertThat(openai.requests()).isEmpty();
        assertThat(anthropic.requests()).isEmpty();
        gw.awaitLedger();
        assertThat(store.usage("estimator")).hasSize(2).allSatisfy(row -> {
            assertThat(row.endpoint()).isEqualTo("messages.count_tokens");
            assertThat(row.model()).isEqualTo("gpt-4o-mini");
            assertThat(row.statusCode()).isEqualTo(200);
            assertThat(row.costNanos()).isZero();
            assertThat(row.channelId()).isNull();
        });
        assertThat(store.ledger("estimator", "charge")).isEmpty();
        assertThat(store.ledgerSum("estimator")).isEqualTo(store.balance("estimator"));
    }

    @Test
    void countTokensForAModelAnAnthropicChannelServesIsAskedOfIt() {
        anthropic.always(AnthropicReply.ok().usage(17, 0, 0, 0));

        HttpResponse<String> answer = post("/v1/messages/count_tokens", key("nativecount"), """
                {"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hello, world"}]}""");

        assertThat(Json.MAPPER.readTree(answer.body()).path("input_tokens").asLong()).isEqualTo(17);
        assertThat(anthropic.onlyRequest().path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(openai.requests()).isEmpty();
    }
}
