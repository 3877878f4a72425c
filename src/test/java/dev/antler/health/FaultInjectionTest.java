package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FaultyUpstream;
import dev.antler.testing.FaultyUpstream.Fault;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The upstream misbehaves on a real socket ({@link FaultyUpstream}); the gateway must answer the client
 * correctly, fail over only while nothing reached the client, and bill per the stream billing policy.
 * Each scenario has its own model, served by a faulty channel (priority 10, idle timeout 500 ms) and a
 * healthy one (priority 0), so failover is deterministic and breakers stay apart.
 */
class FaultInjectionTest {

    private static final long OPENING = 10_000_000_000L;
    /** 10 prompt and 2 completion tokens at 0.15 / 0.60 USD per million. */
    private static final long ONE_CALL = 2_700;
    private static final List<String> SCENARIOS = List.of("refuse", "stallhead", "stallmid", "reset", "ratelimit",
            "e500", "e503", "garbage", "html", "truncated", "huge", "breaker", "leaver",
            "totalhead", "totalstream", "utf8tail", "utf8cut");

    private static FaultyUpstream faulty;
    private static FakeOpenAi good;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        faulty = FaultyUpstream.start();
        good = FakeOpenAi.start();
        StringBuilder yaml = new StringBuilder("health: { breaker_failures: 3, breaker_open_ms: 600000 }\nchannels:\n");
        StringBuilder prices = new StringBuilder("prices:\n");
        for (String s : SCENARIOS) {
            String faultyUrl = s.equals("refuse") ? FakeOpenAi.refusingUrl() : faulty.baseUrl();
            yaml.append("  - { name: faulty-%1$s, base_url: \"%2$s\", key: sk-faulty-%1$s-0001, models: [m-%1$s], "
                    .formatted(s, faultyUrl)).append("priority: 10, idle_timeout_ms: ")
                    // building a 12 MiB answer may take longer than 500 ms on a busy machine
                    .append(s.equals("huge") || s.equals("leaver") || s.startsWith("total") || s.startsWith("utf8") ? 10_000 : 500)
                    .append(s.startsWith("total") ? ", total_timeout_ms: 400" : "").append(" }\n");
            yaml.append("  - { name: good-%1$s, base_url: \"%2$s\", key: sk-good-%1$s-0001, models: [m-%1$s] }\n"
                    .formatted(s, good.baseUrl()));
            prices.append("  m-%s: { input_per_mtok: 0.15, output_per_mtok: 0.60 }\n".formatted(s));
        }
        for (int i = 0; i < 5; i++) {
            yaml.append("  - { name: failing-%1$d, base_url: \"%2$s\", key: sk-failing-%1$d-0001, models: [m-bounded] }\n"
                    .formatted(i, faulty.baseUrl()));
        }
        prices.append("  m-bounded: { input_per_mtok: 0.15, output_per_mtok: 0.60 }\n");
        String[] users = SCENARIOS.stream().map(s -> "u" + s).toArray(String[]::new);
        gw = GatewayHarness.start(yaml + prices.toString() + "users:\n" + TestUsers.yaml(users)
                + TestUsers.yaml("ubounded"));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        faulty.close();
        good.close();
    }

    @BeforeEach
    void reset() {
        faulty.reset();
        good.reset();
    }

    private static HttpResponse<String> chat(String scenario, boolean stream) {
        return RawHttp.post(gw, "/v1/chat/completions", key("u" + scenario), """
                {"model":"m-%s","max_tokens":1000,"stream":%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(scenario, stream));
    }

    private static JsonNode attemptLog(String scenario) {
        return Json.MAPPER.readTree(store.attemptLogs("u" + scenario).getLast());
    }

    /** The answer came from the healthy channel after one failed attempt, and was charged once. */
    private static void assertFailedOverOnce(String scenario, HttpResponse<String> answer, String firstError) {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(good.requests()).hasSize(1);
        UsageRow row = store.onlyUsage("u" + scenario);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.channelId()).isEqualTo(store.channelId("good-" + scenario));
        assertThat(row.costNanos()).isEqualTo(ONE_CALL);
        assertThat(store.ledger("u" + scenario, "charge")).containsExactly(-ONE_CALL);
        assertThat(store.balance("u" + scenario)).isEqualTo(OPENING - ONE_CALL);
        JsonNode log = attemptLog(scenario);
        assertThat(log).hasSize(2);
        assertThat(log.get(0).path("channel").asString()).isEqualTo("faulty-" + scenario);
        assertThat(log.get(0).path("error").asString()).contains(firstError);
        assertThat(log.get(1).path("channel").asString()).isEqualTo("good-" + scenario);
        assertThat(log.get(1).path("status").asInt()).isEqualTo(200);
    }

    /** A stream that broke after bytes reached the client: an error event, never [DONE], no failover. */
    private static UsageRow assertBrokenStream(String scenario, HttpResponse<String> answer, String code,
                                               String endReason) {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"role\":\"assistant\"").doesNotContain("[DONE]");
        String[] events = answer.body().split("\n\n");
        assertThat(events[events.length - 1]).startsWith("data: {\"error\":").contains(code);
        assertThat(good.requests()).as("bytes reached the client: no failover").isEmpty();
        UsageRow row = store.onlyUsage("u" + scenario);
        assertThat(row.endReason()).isEqualTo(endReason);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.promptTokens()).isPositive();
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150 + row.completionTokens() * 600).isPositive();
        assertThat(store.ledgerSum("u" + scenario)).isEqualTo(store.balance("u" + scenario));
        assertThat(store.balance("u" + scenario)).isEqualTo(OPENING - row.costNanos());
        return row;
    }

    @Test
    void refusedConnectionFailsOver() {
        assertFailedOverOnce("refuse", chat("refuse", false), "could not be reached");
        assertThat(attemptLog("refuse").get(0).path("status").asInt()).isZero();
    }

    @Test
    void stallBeforeTheResponseHeadTimesOutAndFailsOver() {
        faulty.enqueue(Fault.STALL_BEFORE_HEAD);

        HttpResponse<String> answer = chat("stallhead", false);

        assertFailedOverOnce("stallhead", answer, "did not answer in time");
        assertThat(faulty.requests()).isEqualTo(1);
        assertThat(attemptLog("stallhead").get(0).path("ms").asLong()).isGreaterThanOrEqualTo(450);
    }

    @Test
    void stallMidStreamEndsWithATimeoutEventAndBillsWhatWasDelivered() {
        faulty.enqueue(Fault.STALL_MID_STREAM);

        UsageRow row = assertBrokenStream("stallmid", chat("stallmid", true), "upstream_timeout", "timeout");

        assertThat(row.statusCode()).isEqualTo(504);
    }

    @Test
    void resetMidStreamEndsWithACutEventAndBillsWhatWasDelivered() {
        faulty.enqueue(Fault.RESET_MID_STREAM);

        assertBrokenStream("reset", chat("reset", true), "upstream_cut", "upstream_cut");
    }

    @Test
    void truncatedStreamEndsWithACutEventAndNeverRelaysThePartialEvent() {
        faulty.enqueue(Fault.TRUNCATED_SSE);

        HttpResponse<String> answer = chat("truncated", true);

        assertBrokenStream("truncated", answer, "upstream_cut", "upstream_cut");
        assertThat(answer.body()).doesNotContain("chatcmpl-trunc");
    }

    @Test
    void rateLimitWithRetryAfterFailsOverAndTheChannelRestsUntilThen() {
        faulty.enqueue(Fault.RATE_LIMIT_RETRY_AFTER);

        assertFailedOverOnce("ratelimit", chat("ratelimit", false), "HTTP 429");
        assertThat(attemptLog("ratelimit").get(0).path("status").asInt()).isEqualTo(429);

        assertThat(chat("ratelimit", false).statusCode()).isEqualTo(200);
        assertThat(faulty.requests()).as("skipped while its Retry-After lasts").isEqualTo(1);
        assertThat(good.requests()).hasSize(2);
        assertThat(store.awaitUsage("uratelimit", 2).get(1).attempts()).isEqualTo(1);
        long id = store.channelId("faulty-ratelimit");
        assertThat(gw.gateway().admin().registry().health().view(id).coolUntil())
                .isBetween(System.currentTimeMillis() + 20_000, System.currentTimeMillis() + 31_000);
    }

    @Test
    void serverErrorFailsOver() {
        faulty.enqueue(Fault.SERVER_ERROR);

        assertFailedOverOnce("e500", chat("e500", false), "HTTP 500");
    }

    @Test
    void serviceUnavailableFailsOver() {
        faulty.enqueue(Fault.UNAVAILABLE);

        assertFailedOverOnce("e503", chat("e503", false), "HTTP 503");
    }

    @Test
    void garbageJsonIsRelayedAsItCameAndBilledOnThePromptEstimate() {
        faulty.enqueue(Fault.GARBAGE_JSON);

        HttpResponse<String> answer = chat("garbage", false);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":{garbage");
        assertBilledOnPromptEstimate("garbage");
    }

    @Test
    void wrongContentTypeIsRelayedAsItCameAndBilledOnThePromptEstimate() {
        faulty.enqueue(Fault.WRONG_CONTENT_TYPE);

        HttpResponse<String> answer = chat("html", true);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(answer.body()).contains("Welcome to nginx!");
        assertBilledOnPromptEstimate("html");
    }

    private static void assertBilledOnPromptEstimate(String scenario) {
        UsageRow row = store.onlyUsage("u" + scenario);
        assertThat(row.endReason()).isEqualTo("complete");
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.completionTokens()).isZero();
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150).isPositive();
        assertThat(store.balance("u" + scenario)).isEqualTo(OPENING - row.costNanos());
        assertThat(good.requests()).isEmpty();
    }

    @Test
    void hugeBodyStreamsThroughAndIsBilledOnTheReportedUsage() {
        faulty.enqueue(Fault.HUGE_BODY);

        HttpResponse<String> answer = chat("huge", false);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body().length()).isGreaterThan(FaultyUpstream.HUGE_TEXT_BYTES);
        assertThat(good.requests()).isEmpty();
        assertThat(Json.MAPPER.readTree(answer.body()).path("usage").path("completion_tokens").asLong()).isEqualTo(2);
        UsageRow row = store.onlyUsage("uhuge");
        assertThat(row.billedBasis()).isEqualTo("reported");
        assertThat(row.costNanos()).isEqualTo(ONE_CALL);
    }

    @Test
    void clientLeavingANonStreamedAnswerCancelsTheUpstreamAndPaysForThePrompt() {
        faulty.enqueue(Fault.HUGE_BODY);

        String received = RawHttp.postAndHangUpAfter(gw, "/v1/chat/completions", key("uleaver"), """
                {"model":"m-leaver","messages":[{"role":"user","content":"Hi"}]}""", "aaaaaaaa");

        assertThat(received).startsWith("HTTP/1.1 200");
        UsageRow row = store.onlyUsage("uleaver");
        assertThat(row.endReason()).isEqualTo("client_gone");
        assertThat(row.statusCode()).isEqualTo(499);
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.completionTokens()).as("a truncated body is no usable answer").isZero();
        assertThat(row.costNanos()).isEqualTo(row.promptTokens() * 150).isPositive();
        assertThat(store.balance("uleaver")).isEqualTo(OPENING - row.costNanos());
        assertThat(good.requests()).isEmpty();
    }

    @Test
    void theTotalTimeoutBeforeTheHeadFailsOver() {
        faulty.enqueue(Fault.STALL_BEFORE_HEAD);

        assertFailedOverOnce("totalhead", chat("totalhead", false), "did not answer in time");
    }

    @Test
    void theTotalTimeoutDuringAStreamEndsItWithATimeoutEvent() {
        faulty.enqueue(Fault.STALL_MID_STREAM);

        UsageRow row = assertBrokenStream("totalstream", chat("totalstream", true), "upstream_timeout", "timeout");

        assertThat(row.latencyMs()).isBetween(350L, 5_000L);
    }

    @Test
    void anInvalidUtf8TailAfterTheUpstreamsDoneEndsTheStreamAtOnceAsCutWithNoErrorEventAfterDone() {
        faulty.enqueue(Fault.INVALID_UTF8_TAIL);
        long start = System.nanoTime();

        HttpResponse<String> answer = chat("utf8tail", true);

        assertThat((System.nanoTime() - start) / 1_000_000).as("ended at once, not at the 10 s idle timeout")
                .isLessThan(3_000);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"role\":\"assistant\"").endsWith("data: [DONE]\n\n")
                .doesNotContain("\"error\"");
        UsageRow row = store.onlyUsage("uutf8tail");
        assertThat(row.endReason()).isEqualTo("upstream_cut");
        assertThat(row.statusCode()).isEqualTo(502);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.completionTokens()).isPositive();
        assertThat(row.costNanos()).isPositive();
        assertThat(store.balance("uutf8tail")).isEqualTo(OPENING - row.costNanos());
        assertThat(good.requests()).isEmpty();
    }

    @Test
    void anInvalidUtf8TailMidStreamEndsItAtOnceWithACutEventAndNeverRelaysTheBrokenBytes() {
        faulty.enqueue(Fault.INVALID_UTF8_CUT);
        long start = System.nanoTime();

        HttpResponse<String> answer = chat("utf8cut", true);

        assertThat((System.nanoTime() - start) / 1_000_000).as("ended at once, not at the 10 s idle timeout")
                .isLessThan(3_000);
        UsageRow row = assertBrokenStream("utf8cut", answer, "upstream_cut", "upstream_cut");
        assertThat(row.statusCode()).isEqualTo(502);
        assertThat(answer.body()).doesNotContain("\uFFFD");
    }

    @Test
    void attemptsAreBoundedAndNoChannelIsTriedTwice() {
        faulty.always(Fault.SERVER_ERROR);

        HttpResponse<String> failed = RawHttp.post(gw, "/v1/chat/completions", key("ubounded"), """
                {"model":"m-bounded","messages":[{"role":"user","content":"Hi"}]}""");

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(faulty.requests()).isEqualTo(4);
        UsageRow row = store.onlyUsage("ubounded");
        assertThat(row.attempts()).isEqualTo(4);
        assertThat(row.costNanos()).isZero();
        JsonNode log = Json.MAPPER.readTree(store.attemptLogs("ubounded").getFirst());
        assertThat(log.findValuesAsString("channel")).hasSize(4).doesNotHaveDuplicates();
        assertThat(store.balance("ubounded")).isEqualTo(OPENING);
    }

    @Test
    void anOpenBreakerTakesTheChannelOutOfRouting() {
        faulty.always(Fault.SERVER_ERROR);
        for (int i = 0; i < 3; i++) {
            assertThat(chat("breaker", false).statusCode()).isEqualTo(200);
        }
        assertThat(faulty.requests()).isEqualTo(3);

        assertThat(chat("breaker", false).statusCode()).isEqualTo(200);

        assertThat(faulty.requests()).as("the open breaker skips the channel").isEqualTo(3);
        List<UsageRow> rows = store.awaitUsage("ubreaker", 4);
        assertThat(rows).extracting(UsageRow::attempts).containsExactly(2, 2, 2, 1);
        long id = store.channelId("faulty-breaker");
        assertThat(gw.gateway().admin().registry().health().view(id).state()).isEqualTo("open");
    }
}
