package dev.antler.redis;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.limits.MutableClock;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three gateways (each on its own store, seeded alike, so keys and users have the same ids) share their limits
 * through the machine's Redis, under a key prefix of this test's own: together they admit what one would.
 */
class SharedLimitsTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""";
    /** Fits a request's hold (about 61,000 nano-USD) plus a few charges of 2,700 each. */
    private static final long CAP_NANOS = 70_000;

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    private static final String prefix = TestRedis.uniquePrefix();
    private static FakeOpenAi upstream;
    private static final List<GatewayHarness> gateways = new ArrayList<>();

    @BeforeAll
    static void start() {
        String url = TestRedis.sharedUrl();
        upstream = FakeOpenAi.start();
        String yaml = """
                redis: { url: "%s", key_prefix: "%s", timeout_ms: 2000 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-shared-0001, models: [gpt-4o-mini] }
                users:
                  - { name: sharedpaced, balance: 10, keys: [{ key: %s, rpm_limit: 5 }] }
                  - { name: sharedsingle, balance: 10, keys: [{ key: %s, max_concurrent: 1 }] }
                  - { name: sharedcapped, balance: 10, daily_spend_limit: %s, keys: [{ key: %s }] }
                  - { name: sharedtokens, balance: 10, keys: [{ key: %s, tpm_limit: 30 }] }
                """.formatted(url, prefix, upstream.baseUrl(), key("sharedpaced"), key("sharedsingle"),
                Usd.toDecimal(CAP_NANOS).toPlainString(), key("sharedcapped"), key("sharedtokens"));
        for (int i = 0; i < 3; i++) {
            gateways.add(GatewayHarness.start(yaml, Map.of(), clock));
        }
        for (GatewayHarness gw : gateways) {
            awaitRedisUp(gw);
        }
    }

    @AfterAll
    static void stop() {
        gateways.forEach(GatewayHarness::close);
        if (upstream != null) {
            upstream.close();
        }
        TestRedis.deleteShared(prefix);
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void anRpmLimitAdmitsItsNumberAcrossAllGatewaysPerWindow() {
        for (int window = 0; window < 2; window++) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                answers.add(chat(gateways.get(i % 3), "sharedpaced"));
            }
            assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(5);
            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 200).toList();
            assertThat(refused).hasSize(10).allSatisfy(a -> {
                assertThat(a.statusCode()).isEqualTo(429);
                assertThat(a.headers().firstValue("Retry-After")).contains("60");
                JsonNode error = Json.MAPPER.readTree(a.body()).get("error");
                assertThat(error.get("code").asString()).isEqualTo("rate_limit_exceeded");
                assertThat(error.get("message").asString()).startsWith("requests per minute: 5 reached on this key");
            });
            // Every gateway refused some: none of them counted alone (each would have admitted 5 of its own 5).
            for (int g = 0; g < 3; g++) {
                int gateway = g;
                assertThat(java.util.stream.IntStream.range(0, 15).filter(i -> i % 3 == gateway)
                        .filter(i -> answers.get(i).statusCode() == 429)).isNotEmpty();
            }
            assertThat(upstream.requests()).hasSize(5 * (window + 1));
            clock.advance(Duration.ofSeconds(60));
        }
    }

    @Test
    void requestsAnotherGatewayStampedInTheNextSecondCountToo() {
        // Two gateways whose clocks are a second apart (or whose requests reach Redis out of order): what the one
        // ahead admitted lies in a later second than the other's now, and still counts against the limit.
        MutableClock behind = new MutableClock(Instant.parse("2026-03-02T11:00:00.500Z"));
        MutableClock ahead = new MutableClock(Instant.parse("2026-03-02T11:00:01.500Z"));
        String yaml = """
                redis: { url: "%s", key_prefix: "%s", timeout_ms: 2000 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-shared-0001, models: [gpt-4o-mini] }
                users:
                  - { name: sharedskewed, balance: 10, keys: [{ key: %s, rpm_limit: 5 }] }
                """.formatted(TestRedis.sharedUrl(), prefix, upstream.baseUrl(), key("sharedskewed"));
        try (GatewayHarness first = GatewayHarness.start(yaml, Map.of(), ahead);
             GatewayHarness second = GatewayHarness.start(yaml, Map.of(), behind)) {
            awaitRedisUp(first);
            awaitRedisUp(second);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(chat(first, "sharedskewed").statusCode());
            }
            for (int i = 0; i < 5; i++) {
                statuses.add(chat(second, "sharedskewed").statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        }
    }

    @Test
    void aConcurrencySlotTakenOnOneGatewayIsTakenOnAll() throws Exception {
        upstream.enqueue(FakeReply.ok().delay(1500));
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(
                () -> chat(gateways.get(0), "sharedsingle"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (GatewayHarness other : gateways.subList(1, 3)) {
            HttpResponse<String> refused = chat(other, "sharedsingle");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("concurrency_limit_exceeded")
                    .contains("concurrent requests: 1 already in flight on this key");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        }
        assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        awaitNoSlotTaken();
        assertThat(chat(gateways.get(1), "sharedsingle").statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(2);
    }

    @Test
    void aDailyCapCountsWhatEveryGatewayCharged() {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            answers.add(chat(gateways.get(i % 3), "sharedcapped"));
        }
        int admitted = (int) answers.stream().filter(a -> a.statusCode() == 200).count();
        // Sequential requests: each admitted while the charges before it plus its hold fit under the cap.
        assertThat(admitted).isBetween(2, 5);
        assertThat(answers.subList(0, admitted)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        long charged = 0;
        for (GatewayHarness gw : gateways) {
            gw.awaitLedger();
            StoreView store = new StoreView(gw);
            charged += 10_000_000_000L - store.balance("sharedcapped");
            assertThat(store.balance("sharedcapped")).isEqualTo(store.ledgerSum("sharedcapped"));
        }
        assertThat(charged).isPositive().isLessThanOrEqualTo(CAP_NANOS);
        // Every gateway refuses after the cap, though each charged only part of the day's spend itself.
        for (HttpResponse<String> refused : answers.subList(admitted, answers.size())) {
            assertThat(refused.statusCode()).isEqualTo(429);
            JsonNode error = Json.MAPPER.readTree(refused.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("daily_spend_limit_reached");
            assertThat(error.get("message").asString()).startsWith("daily spend: " + Usd.format(charged)
                    + " USD spent or held today (UTC)");
        }
        assertThat(upstream.requests()).hasSize(admitted);
    }

    @Test
    void tokensSettledOnOneGatewayCountOnTheOthers() {
        // The body (87 bytes) counts 21 tokens at admission; the answer reports 12 (10 + 2), which replace them.
        assertThat(chat(gateways.get(0), "sharedtokens").statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        HttpResponse<String> refused;
        do {
            refused = chat(gateways.get(1), "sharedtokens");
            if (refused.statusCode() == 200) { // the first request's correction was not counted yet: undo this one
                assertThat(System.nanoTime()).as("refused within 5 s").isLessThan(deadline);
                clock.advance(Duration.ofSeconds(60));
                assertThat(chat(gateways.get(0), "sharedtokens").statusCode()).isEqualTo(200);
                sleep(20);
            }
        } while (refused.statusCode() == 200);
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = Json.MAPPER.readTree(refused.body()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asString()).startsWith("tokens per minute: 12 counted in the last 60 s on "
                + "this key, this request estimated at 21 (expected: at most 30 tokens in any 60 s; retry after 60 s)");
        assertThat(chat(gateways.get(2), "sharedtokens").statusCode()).isEqualTo(429);
    }

    private static HttpResponse<String> chat(GatewayHarness gw, String user) {
        return gw.post("/v1/chat/completions", key(user), CHAT);
    }

    static void awaitRedisUp(GatewayHarness gw) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!gw.gateway().redisUp()) {
            assertThat(System.nanoTime()).as("redis up within 15 s").isLessThan(deadline);
            sleep(20);
        }
    }

    private static void awaitNoSlotTaken() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            long taken = 0;
            for (String key : TestRedis.asList(TestRedis.command(6379, "KEYS", prefix + "k:*:slots"))) {
                taken += (Long) TestRedis.command(6379, "ZCARD", key);
            }
            if (taken == 0 || System.nanoTime() > deadline) {
                assertThat(taken).as("slots still taken").isZero();
                return;
            }
            sleep(10);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
