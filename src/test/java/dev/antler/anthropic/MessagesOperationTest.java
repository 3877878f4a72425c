package dev.antler.anthropic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.sse.SseEvent;
import dev.antler.testing.RequestBodies;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/messages} as a plain function, to an anthropic channel and translated to an openai one. */
class MessagesOperationTest {

    private static final String CLIENT_KEY = "sk-ant-client-0123456789";
    private static final String REQUEST = """
            {"model":"claude-sonnet-4","max_tokens":256,"system":"Be brief.",
             "messages":[{"role":"user","content":"Hi"}]}""";
    private static final Channel ANTHROPIC = new Channel(1, "claude", "anthropic", "https://api.anthropic.test",
            "sk-ant-upstream", Set.of(), Map.of("claude-sonnet-4", "claude-sonnet-4-20250514"), 0, 1,
            Set.of("default"), Status.ACTIVE, null);
    private static final Channel OPENAI = new Channel(2, "compatible", "openai", "https://api.openai.test/v1",
            "sk-openai-upstream", Set.of("claude-sonnet-4"), Map.of("claude-sonnet-4", "claude-sonnet-4-compat"), 0, 1,
            Set.of("default"), Status.ACTIVE, null);

    private final MessagesOperation messages = MessagesOperation.messages();

    private static ClientRequest request(String body, Headers headers) {
        return ClientRequest.post("/v1/messages", headers, RequestBodies.json(body));
    }

    private static ClientRequest request(String body) {
        return request(body, Headers.of("x-api-key", CLIENT_KEY, "anthropic-version", "2023-06-01",
                "anthropic-beta", "prompt-caching-2024-07-31", "Content-Type", "application/json",
                "User-Agent", "Anthropic/Python 0.40.0"));
    }

    private static void assertNoClientKey(UpstreamRequest upstream) {
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
        assertThat(new String(RequestBodies.bytes(upstream.body()), UTF_8)).doesNotContain(CLIENT_KEY);
    }

    @Test
    void toAnAnthropicChannelTheRequestGoesAsItCameWithTheChannelsKeyAndModel() {
        ClientRequest client = request(REQUEST);
        Intent<MessagesRequest> intent = messages.inspect(client);
        assertThat(intent.model()).isEqualTo("claude-sonnet-4");
        assertThat(intent.stream()).isFalse();

        UpstreamRequest upstream = messages.upstreamRequest(intent, ANTHROPIC, client);

        assertThat(upstream.url()).isEqualTo("https://api.anthropic.test/v1/messages");
        assertThat(upstream.headers().getAll("x-api-key")).containsExactly("sk-ant-upstream");
        assertThat(upstream.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(upstream.headers().get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        assertThat(upstream.headers().contains("Authorization")).isFalse();
        assertNoClientKey(upstream);
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body()));
        assertThat(sent.path("model").asString()).isEqualTo("claude-sonnet-4-20250514");
        assertThat(sent.path("system").asString()).isEqualTo("Be brief.");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);

        ResponseTap tap = messages.newTap(intent, ANTHROPIC);
        byte[] answer = """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
                 "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_read_input_tokens":30,"cache_creation_input_tokens":0,
                          "output_tokens":6}}""".getBytes(UTF_8);
        tap.onBytes(answer, 0, answer.length);
        assertThat(tap.rewriter()).isNull();
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(new Usage(42, 6, 30, 0, 0, 0)));
    }

    @Test
    void withoutTheClientsVersionTheDefaultIsSent() {
        ClientRequest client = request(REQUEST, Headers.of("Authorization", "Bearer " + CLIENT_KEY));
        UpstreamRequest upstream = messages.upstreamRequest(messages.inspect(client), ANTHROPIC, client);

        assertThat(upstream.headers().get("anthropic-version")).isEqualTo(AnthropicUpstream.DEFAULT_VERSION);
        assertNoClientKey(upstream);
    }

    @Test
    void toAnOpenAiChannelTheRequestIsTranslatedAndTheAnswerTranslatedBack() throws Exception {
        ClientRequest client = request(REQUEST);
        Intent<MessagesRequest> intent = messages.inspect(client);
        messages.checkTranslatable(intent);

        UpstreamRequest upstream = messages.upstreamRequest(intent, OPENAI, client);

        assertThat(upstream.url()).isEqualTo("https://api.openai.test/v1/chat/completions");
        assertThat(upstream.headers().get("Authorization")).isEqualTo("Bearer sk-openai-upstream");
        assertThat(upstream.headers().contains("x-api-key")).isFalse();
        assertNoClientKey(upstream);
        JsonNode chat = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body()));
        assertThat(chat.path("model").asString()).isEqualTo("claude-sonnet-4-compat");
        assertThat(chat.path("messages").path(0).path("role").asString()).isEqualTo("system");
        assertThat(chat.path("messages").path(1).path("content").toString()).contains("Hi");

        ResponseTap tap = messages.newTap(intent, OPENAI);
        byte[] completion = """
                {"id":"chatcmpl-9","object":"chat.completion","created":1,"model":"claude-sonnet-4-compat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":14,"completion_tokens":3,"total_tokens":17}}""".getBytes(UTF_8);
        tap.onBytes(completion, 0, completion.length);
        byte[] rewritten = tap.rewriter().rewrite(completion).toCompletableFuture().get();

        JsonNode message = Json.MAPPER.readTree(rewritten);
        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("model").asString()).isEqualTo("claude-sonnet-4");
        assertThat(message.path("content").path(0).path("text").asString()).isEqualTo("Hello!");
        assertThat(message.path("stop_reason").asString()).isEqualTo("end_turn");
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.tokens(14, 3)));
    }

    @Test
    void aTranslatedStreamIsRenderedAsAnthropicsEvents() {
        String streamed = REQUEST.replace("\"max_tokens\":256", "\"max_tokens\":256,\"stream\":true");
        Intent<MessagesRequest> intent = messages.inspect(request(streamed));
        assertThat(intent.stream()).isTrue();
        ResponseTap tap = messages.newTap(intent, OPENAI);

        String first = render(tap, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}");
        String last = render(tap, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":2}}");
        String done = render(tap, "[DONE]");

        assertThat(first).startsWith("event: message_start\n").contains("\"text\":\"Hel\"");
        assertThat(last).contains("\"text\":\"lo\"");
        assertThat(done).contains("\"stop_reason\":\"end_turn\"").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(tap.streamEndRendered()).isTrue();
        assertThat(tap.renderEnd(tap.meter())).isEmpty();
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.tokens(14, 2)));
    }

    @Test
    void countTokensForAModelOnlyOpenAiChannelsServeIsAnsweredLocally() {
        MessagesOperation count = MessagesOperation.countTokens();
        Intent<MessagesRequest> intent = count.inspect(request(REQUEST));

        assertThat(count.answersLocally()).isTrue();
        JsonNode answer = Json.MAPPER.readTree(count.localAnswer(intent));
        assertThat(answer.path("input_tokens").asLong()).isPositive();
        assertThat(messages.localAnswer(messages.inspect(request(REQUEST)))).isNull();
    }

    private static String render(ResponseTap tap, String data) {
        SseEvent event = new SseEvent(("data: " + data + "\n\n").getBytes(UTF_8), null, data, null);
        assertThat(tap.onEvent(event)).isTrue();
        return new String(tap.render(event), UTF_8);
    }
}
