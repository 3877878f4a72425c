package dev.antler.relay;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.AnthropicHttp;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FaultyUpstream;
import dev.antler.testing.FaultyUpstream.Fault;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.ManualClock;
import dev.antler.testing.RawHttp;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * When every channel of a model is skipped (breaker open, or resting after the upstream's Retry-After),
 * the 503 {@code upstream_unavailable} says in {@code Retry-After} when the earliest may be tried again,
 * in each family's envelope. Breakers open after one failure; time is a manual clock.
 */
class AllChannelsRestingTest {

    private static final ManualClock clock = ManualClock.now();
    private static FaultyUpstream rateLimited;
    private static GatewayHarness gw;

    @BeforeAll
    static void start() {
        rateLimited = FaultyUpstream.start();
        String refused = FakeOpenAi.refusingUrl();
        gw = GatewayHarness.start("""
                health: { breaker_failures: 1, breaker_open_ms: 120000 }
                channels:
                  - { name: gpt-down, base_url: "%s", key: sk-openai-down-0011, models: [gpt-4o-mini] }
                  - { name: gpt-rested, base_url: "%s", key: sk-openai-rested-0011, models: [gpt-4.1] }
                  - { name: claude-down, type: anthropic, base_url: "%s", key: sk-ant-down-0011,
                      models: [claude-haiku-4-5] }
                  - { name: ideo-down, type: ideogram, base_url: "%s", key: sk-ideo-down-0011 }
                users:
                %s""".formatted(refused, rateLimited.baseUrl(), refused, refused,
                TestUsers.yaml("openchat", "restedchat", "openmessages", "openideogram")), clock);
    }

    @AfterAll
    static void stop() {
        gw.close();
        rateLimited.close();
    }

    private static HttpResponse<String> chat(String user, String model) {
        return RawHttp.post(gw, "/v1/chat/completions", key(user), """
                {"model":"%s","messages":[{"role":"user","content":"Hi"}]}""".formatted(model));
    }

    /** The first call finds the channel failing and opens its breaker; the next ones are refused at once. */
    private static HttpResponse<String> refusedAfterBreakerOpens(Supplier<HttpResponse<String>> call) {
        assertThat(call.get().statusCode()).isEqualTo(502);
        HttpResponse<String> refused = call.get();
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("120");
        clock.advanceSeconds(45);
        HttpResponse<String> later = call.get();
        assertThat(later.statusCode()).isEqualTo(503);
        assertThat(later.headers().firstValue("Retry-After")).contains("75");
        return later;
    }

    @Test
    void openAiRouteSaysWhenTheOpenBreakerLetsAProbeThrough() {
        HttpResponse<String> answer = refusedAfterBreakerOpens(() -> chat("openchat", "gpt-4o-mini"));

        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("upstream_unavailable");
    }

    @Test
    void anthropicRouteSaysItInAnthropicsEnvelope() {
        HttpResponse<String> answer = refusedAfterBreakerOpens(() -> AnthropicHttp.post(gw, "/v1/messages",
                key("openmessages"), """
                        {"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}"""));

        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("type").asString()).isEqualTo("error");
        assertThat(root.path("error").path("type").asString()).isEqualTo("overloaded_error");
    }

    @Test
    void ideogramRouteSaysItInIdeogramsEnvelope() {
        HttpResponse<String> answer = refusedAfterBreakerOpens(() -> RawHttp.send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/ideogram/generate"))
                .header("Authorization", "Bearer " + key("openideogram"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image_request\":{\"prompt\":\"a cat\"}}")).build()));

        JsonNode root = Json.MAPPER.readTree(answer.body());
        assertThat(root.path("code").asString()).isEqualTo("upstream_unavailable");
        assertThat(root.path("error").isString()).isTrue();
    }

    @Test
    void aChannelRestingAfterItsRetryAfterIsTriedAgainWhenThatEnds() {
        rateLimited.enqueue(Fault.RATE_LIMIT_RETRY_AFTER);

        assertThat(chat("restedchat", "gpt-4.1").statusCode()).isEqualTo(429);
        HttpResponse<String> refused = chat("restedchat", "gpt-4.1");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains(FaultyUpstream.RETRY_AFTER_SECONDS);
        assertThat(rateLimited.requests()).isEqualTo(1);
    }
}
