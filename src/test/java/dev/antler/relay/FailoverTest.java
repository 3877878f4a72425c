package dev.antler.relay;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Upstream failures: what the client sees, that holds are released, and that another channel is
 * tried only when the upstream cannot have done the work. Weights of 1,000,000 to 1 make the first
 * channel of a tier the one tried first (all but certainly).
 */
class FailoverTest {

    private static final long OPENING = 10_000_000_000L;
    private static final long ONE_CALL = 2_700;
    private static FakeOpenAi primary;
    private static FakeOpenAi secondary;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        primary = FakeOpenAi.start();
        secondary = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - { name: solo, base_url: "%1$s", key: sk-solo-channel-0001, models: [gpt-4o-mini] }
                  - { name: refusing, base_url: "%3$s", key: sk-refusing-0001, models: [gpt-4.1-mini], weight: 1000000 }
                  - { name: flaky, base_url: "%1$s", key: sk-flaky-0001, models: [gpt-4.1-mini], weight: 1 }
                  - { name: busy, base_url: "%1$s", key: sk-busy-0001, models: [gpt-4.1-nano], weight: 1000000 }
                  - { name: spare, base_url: "%2$s", key: sk-spare-0001, models: [gpt-4.1-nano], weight: 1 }
                  - { name: high, base_url: "%1$s", key: sk-high-0001, models: [gpt-4.1], priority: 10 }
                  - { name: low, base_url: "%2$s", key: sk-low-0001, models: [gpt-4.1], priority: 0 }
                  - { name: revoked, base_url: "%1$s", key: sk-revoked-channel-0001, models: [gpt-4o] }
                prices:
                  gpt-4.1-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  gpt-4.1-nano: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  gpt-4.1: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                  gpt-4o: { input_per_mtok: 0.15, output_per_mtok: 0.60 }
                users:
                  - { name: small, balance: 0.001, keys: [{ key: %4$s }] }
                %5$s""".formatted(primary.baseUrl(), secondary.baseUrl(), FakeOpenAi.refusingUrl(), key("small"),
                TestUsers.yaml("rejected", "limited", "misconfigured", "refused", "overloaded", "exhausted",
                        "priority", "noretry", "dropped")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        primary.close();
        secondary.close();
    }

    @BeforeEach
    void reset() {
        primary.reset();
        secondary.reset();
    }

    private static HttpResponse<String> chat(String user, String model) {
        return gw.post("/v1/chat/completions", key(user), """
                {"model":"%s","max_tokens":1000,"messages":[{"role":"user","content":"Hi"}]}""".formatted(model));
    }

    @Test
    void serverErrorOnTheOnlyChannelIsA502AndReleasesTheHold() {
        primary.enqueue(FakeReply.status(500));

        HttpResponse<String> failed = chat("small", "gpt-4o-mini");

        assertThat(failed.statusCode()).isEqualTo(502);
        JsonNode error = Json.MAPPER.readTree(failed.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("upstream_error");
        assertThat(error.path("code").asString()).isEqualTo("upstream_error");
        assertThat(error.path("message").asString()).contains("HTTP 500")
                .contains(failed.headers().firstValue("X-Request-Id").orElseThrow());
        UsageRow row = store.onlyUsage("small");
        assertThat(row.statusCode()).isEqualTo(502);
        assertThat(row.costNanos()).isZero();
        assertThat(row.endReason()).isEqualTo("error");
        assertThat(store.balance("small")).isEqualTo(1_000_000);
        // The hold (about 0.0006 USD of the 0.001) was released: a second call fits again.
        assertThat(chat("small", "gpt-4o-mini").statusCode()).isEqualTo(200);
        store.awaitUsage("small", 2);
        assertThat(store.balance("small")).isEqualTo(1_000_000 - ONE_CALL);
    }

    @Test
    void clientErrorFromTheUpstreamPassesThroughUncharged() {
        primary.enqueue(FakeReply.status(400));

        HttpResponse<String> failed = chat("rejected", "gpt-4o-mini");

        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(failed.body()).path("error").path("message").asString())
                .isEqualTo("Invalid value for 'temperature'.");
        UsageRow row = store.onlyUsage("rejected");
        assertThat(row.statusCode()).isEqualTo(400);
        assertThat(row.costNanos()).isZero();
        assertThat(store.balance("rejected")).isEqualTo(OPENING);
        assertThat(store.ledger("rejected", "charge")).isEmpty();
    }

    @Test
    void rateLimitOnTheOnlyChannelIsA429() {
        primary.enqueue(FakeReply.status(429));

        HttpResponse<String> failed = chat("limited", "gpt-4o-mini");

        assertThat(failed.statusCode()).isEqualTo(429);
        assertThat(Json.MAPPER.readTree(failed.body()).path("error").path("type").asString())
                .isEqualTo("rate_limit_error");
        assertThat(store.onlyUsage("limited").costNanos()).isZero();
        assertThat(store.balance("limited")).isEqualTo(OPENING);
    }

    @Test
    void upstreamRefusingTheChannelKeyIsTheGatewaysProblemNamesNoKeyAndDisablesTheChannel() {
        primary.enqueue(FakeReply.status(401));

        HttpResponse<String> failed = chat("misconfigured", "gpt-4o");

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("upstream_auth_failed").doesNotContain("sk-revoked-channel-0001")
                .doesNotContain("Incorrect API key");
        assertThat(store.onlyUsage("misconfigured").error()).doesNotContain("sk-revoked-channel-0001");
        assertThat(primary.requests()).as("401 is not failed over").hasSize(1);
        StoreView.ChannelStatus status = awaitDisabled("revoked");
        assertThat(status.reason()).startsWith("auto-disabled: upstream HTTP 401 invalid_api_key");
        HttpResponse<String> after = chat("misconfigured", "gpt-4o");
        assertThat(after.statusCode()).isEqualTo(503);
        assertThat(primary.requests()).as("a disabled channel gets no more requests").hasSize(1);
    }

    static StoreView.ChannelStatus awaitDisabled(String channel) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        StoreView.ChannelStatus status = store.channelStatus(channel);
        while (!status.status().equals("disabled") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            status = store.channelStatus(channel);
        }
        assertThat(status.status()).isEqualTo("disabled");
        return status;
    }

    @Test
    void refusedConnectionFailsOverToTheOtherChannelOfTheTier() {
        HttpResponse<String> answer = chat("refused", "gpt-4.1-mini");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(primary.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-flaky-0001");
        UsageRow row = store.onlyUsage("refused");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.channelId()).isEqualTo(store.channelId("flaky"));
        assertThat(row.costNanos()).isEqualTo(ONE_CALL);
        assertThat(store.ledger("refused", "charge")).containsExactly(-ONE_CALL);
        assertThat(store.balance("refused")).isEqualTo(OPENING - ONE_CALL);
    }

    @Test
    void serviceUnavailableFailsOverAndIsChargedOnce() {
        primary.enqueue(FakeReply.status(503));

        HttpResponse<String> answer = chat("overloaded", "gpt-4.1-nano");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(primary.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-busy-0001");
        assertThat(secondary.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-spare-0001");
        UsageRow row = store.onlyUsage("overloaded");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.channelId()).isEqualTo(store.channelId("spare"));
        assertThat(store.ledger("overloaded", "charge")).containsExactly(-ONE_CALL);
        assertThat(store.balance("overloaded")).isEqualTo(OPENING - ONE_CALL);
    }

    @Test
    void everyChannelFailingIsA502WithNothingCharged() {
        primary.enqueue(FakeReply.status(503));
        secondary.enqueue(FakeReply.status(502));

        HttpResponse<String> failed = chat("exhausted", "gpt-4.1-nano");

        assertThat(failed.statusCode()).isEqualTo(502);
        UsageRow row = store.onlyUsage("exhausted");
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.costNanos()).isZero();
        assertThat(store.balance("exhausted")).isEqualTo(OPENING);
    }

    @Test
    void higherPriorityChannelServesWhileHealthy() {
        assertThat(chat("priority", "gpt-4.1").statusCode()).isEqualTo(200);
        assertThat(primary.requests()).hasSize(1);
        assertThat(secondary.requests()).isEmpty();

        primary.enqueue(FakeReply.status(500));
        assertThat(chat("priority", "gpt-4.1").statusCode()).isEqualTo(200);
        assertThat(secondary.onlyRequest().header("Authorization")).isEqualTo("Bearer sk-low-0001");

        assertThat(chat("priority", "gpt-4.1").statusCode()).isEqualTo(200);
        assertThat(primary.requests()).hasSize(3);
        assertThat(secondary.requests()).hasSize(1);
        assertThat(store.awaitUsage("priority", 3)).extracting(UsageRow::channelId).containsExactly(
                store.channelId("high"), store.channelId("low"), store.channelId("high"));
    }

    @Test
    void connectionDroppedAfterTheRequestWasSentIsNotRetried() {
        primary.enqueue(FakeReply.hangUp());

        HttpResponse<String> failed = chat("dropped", "gpt-4.1-nano");

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(primary.requests()).hasSize(1);
        assertThat(secondary.requests()).as("the first upstream may have done the work").isEmpty();
        UsageRow row = store.onlyUsage("dropped");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.costNanos()).isZero();
        assertThat(store.balance("dropped")).isEqualTo(OPENING);
    }

    @Test
    void clientErrorIsNotRetriedOnAnotherChannel() {
        primary.enqueue(FakeReply.status(400));

        HttpResponse<String> failed = chat("noretry", "gpt-4.1-nano");

        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(primary.requests()).hasSize(1);
        assertThat(secondary.requests()).isEmpty();
        assertThat(store.onlyUsage("noretry").attempts()).isEqualTo(1);
    }
}
