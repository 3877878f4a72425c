package dev.antler.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.config.BillingConfig;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.sse.SseEvent;
import dev.antler.sse.SseFramer;
import dev.antler.testing.Chunking;
import dev.antler.testing.RequestBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The chat completions operation as a plain function: request record in, upstream request out, usage from bytes. */
class ChatOperationTest {

    private static final String CLIENT_KEY = "sk-client-0123456789";
    private static final Headers CLIENT_HEADERS = Headers.of("Authorization", "Bearer " + CLIENT_KEY,
            "x-api-key", CLIENT_KEY, "Content-Type", "application/json", "User-Agent", "OpenAI/Python 1.51.0",
            "OpenAI-Beta", "assistants=v2", "Cookie", "session=1");
    private static final Channel CHANNEL = new Channel(1, "main", "openai", "https://api.example.test/v1/",
            "sk-upstream-key", Set.of(), Map.of("gpt-4o", "gpt-4o-2024-08-06"), 0, 1, Set.of("default"),
            Status.ACTIVE, null);

    private final JsonOperation chat = new JsonOperation(OpenAiEndpoint.CHAT);

    private Intent<OpenAiRequest> inspect(String body) {
        return chat.inspect(ClientRequest.post("/v1/chat/completions", CLIENT_HEADERS, RequestBodies.json(body)));
    }

    private UpstreamRequest upstream(Intent<OpenAiRequest> intent) {
        return chat.upstreamRequest(intent, CHANNEL,
                ClientRequest.post("/v1/chat/completions", CLIENT_HEADERS, RequestBodies.json("{}")));
    }

    @Test
    void theUpstreamRequestCarriesTheChannelsKeyAndMappedModelAndNeverTheClientsKey() {
        Intent<OpenAiRequest> intent = inspect("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_tokens":50}""");

        assertThat(intent.model()).isEqualTo("gpt-4o");
        assertThat(intent.stream()).isFalse();
        assertThat(intent.priceKey()).isEqualTo("gpt-4o");
        UpstreamRequest upstream = upstream(intent);

        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.url()).isEqualTo("https://api.example.test/v1/chat/completions");
        assertThat(upstream.headers().get("authorization")).isEqualTo("Bearer sk-upstream-key");
        assertThat(upstream.headers().getAll("Authorization")).hasSize(1);
        assertThat(upstream.headers().get("Content-Type")).isEqualTo("application/json");
        assertThat(upstream.headers().get("Accept-Encoding")).isEqualTo("identity");
        assertThat(upstream.headers().get("User-Agent")).isEqualTo("OpenAI/Python 1.51.0");
        assertThat(upstream.headers().get("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(upstream.headers().contains("x-api-key")).isFalse();
        assertThat(upstream.headers().contains("Cookie")).isFalse();
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body()));
        assertThat(sent.path("model").asString()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(sent.path("messages").path(0).path("content").asString()).isEqualTo("Hi");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(new String(RequestBodies.bytes(upstream.body()), UTF_8)).doesNotContain(CLIENT_KEY);
    }

    @Test
    void theTapReadsTheUsageOfTheAnswerAtEveryChunking() {
        Intent<OpenAiRequest> intent = inspect("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""");
        byte[] answer = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,
                          "prompt_tokens_details":{"cached_tokens":4}}}""".getBytes(UTF_8);

        for (int[] cuts : Chunking.all(answer.length, 20)) {
            ResponseTap tap = chat.newTap(intent, CHANNEL);
            Chunking.feed(answer, cuts, tap::onBytes);

            assertThat(tap.rewriter()).isNull();
            assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(new Usage(12, 5, 4, 0, 0, 0)));
        }
    }

    @Test
    void aStreamAsksForUsageOnTheClientsBehalfAndKeepsThatChunkFromIt() {
        Intent<OpenAiRequest> intent = inspect("""
                {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(intent.stream()).isTrue();
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream(intent).body()));
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();

        ResponseTap tap = chat.newTap(intent, CHANNEL);
        List<SseEvent> relayed = new ArrayList<>();
        SseFramer framer = new SseFramer(1 << 20, event -> {
            if (tap.onEvent(event)) {
                byte[] rendered = tap.render(event);
                assertThat(rendered).isSameAs(event.raw()); // relayed as it came, not copied
                relayed.add(event);
            }
        });
        byte[] stream = """
                data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}

                data: {"id":"c","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

                data: {"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

                data: [DONE]

                """.getBytes(UTF_8);
        framer.feed(stream, 0, stream.length);
        framer.finish();

        assertThat(relayed).extracting(SseEvent::data).noneMatch(data -> data.contains("\"usage\""));
        assertThat(relayed).hasSize(3);
        assertThat(tap.streamEndRendered()).isTrue();
        assertThat(tap.renderEnd(tap.meter())).isEmpty();
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.tokens(9, 2)));
    }

    @Test
    void theHoldCountsTheOutputAskedForAndItsLoweringRewritesTheRequest() {
        Intent<OpenAiRequest> intent = inspect("""
                {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":1000,"n":2}""");
        HoldBasis basis = HoldBasis.cheap(BillingConfig.defaults());

        long hold = chat.holdEstimate(intent, Price.tokens("1", "4"), basis);
        assertThat(hold).isGreaterThanOrEqualTo(2 * 1_000 * 4_000L);
        var limit = chat.outputLimit(intent, basis);
        assertThat(limit.field()).isEqualTo("max_completion_tokens");
        assertThat(limit.tokens()).isEqualTo(1_000);
        assertThat(limit.answers()).isEqualTo(2);

        Intent<OpenAiRequest> lowered = limit.lowerTo(300);
        assertThat(lowered.details().maxOutput()).isEqualTo(300);
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream(lowered).body()));
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(300);
        assertThat(sent.path("model").asString()).isEqualTo("gpt-4o-2024-08-06");
    }
}
