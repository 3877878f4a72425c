package dev.antler.redis;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.limits.MutableClock;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two gateways on a Redis this test starts on its own port and kills mid-run: requests keep flowing on each
 * gateway's own limits (never waiting on Redis past its timeout, never failing for it), health and metrics say so,
 * and the limits are shared again by themselves once Redis is back.
 */
class RedisOutageTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""";
    private static final long TIMEOUT_MS = 300;

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-03T10:00:00Z"));
    private static TestRedis redis;
    private static FakeOpenAi upstream;
    private static final List<GatewayHarness> gateways = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = TestRedis.own();
        upstream = FakeOpenAi.start();
        String yaml = """
                redis: { url: "%s", timeout_ms: %d, retry_ms: 100 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-outage-0001, models: [gpt-4o-mini] }
                users:
                  - { name: outagepaced, balance: 10, keys: [{ key: %s, rpm_limit: 3 }] }
                """.formatted(redis.url(), TIMEOUT_MS, upstream.baseUrl(), key("outagepaced"));
        for (int i = 0; i < 2; i++) {
            gateways.add(GatewayHarness.start(yaml, Map.of(), clock));
        }
        gateways.forEach(SharedLimitsTest::awaitRedisUp);
    }

    @AfterAll
    static void stop() {
        gateways.forEach(GatewayHarness::close);
        if (upstream != null) {
            upstream.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisKilledMidRunLeavesEachGatewayOnItsOwnLimitsUntilItIsBack() {
        assertThat(admittedOfSix()).as("shared: 3 across both").isEqualTo(3);
        assertRedis("up", 1);

        redis.kill();
        clock.advance(Duration.ofSeconds(60));
        long started = System.nanoTime();
        List<HttpResponse<String>> answers = sixRequests();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(200, 429));
        assertThat(answers).filteredOn(a -> a.statusCode() == 200).as("local: 3 on each gateway").hasSize(6);
        // At most one request per gateway waited for Redis (at most its timeout); the others did not try it.
        assertThat(tookMs).isLessThan(6 * 1000 + 2 * TIMEOUT_MS);
        assertThat(answers.stream().filter(a -> a.statusCode() == 429)).isEmpty();
        assertThat(admittedOfSix()).as("the same window, local counts: all refused").isZero();
        assertRedis("down", 0);

        redis.start();
        gateways.forEach(SharedLimitsTest::awaitRedisUp);
        assertRedis("up", 1);
        clock.advance(Duration.ofSeconds(60));
        assertThat(admittedOfSix()).as("shared again").isEqualTo(3);

        // Redis forgot its scripts (as after a restart without the gateway noticing): NOSCRIPT, then EVAL.
        redis.command("SCRIPT", "FLUSH");
        clock.advance(Duration.ofSeconds(60));
        assertThat(admittedOfSix()).as("shared after SCRIPT FLUSH").isEqualTo(3);
        assertRedis("up", 1);
    }

    private static int admittedOfSix() {
        return (int) sixRequests().stream().filter(a -> a.statusCode() == 200).count();
    }

    private static List<HttpResponse<String>> sixRequests() {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(gateways.get(i % 2).post("/v1/chat/completions", key("outagepaced"), CHAT));
        }
        return answers;
    }

    /** Every gateway's /health/ready (200 either way) and /metrics show Redis {@code status}. */
    private static void assertRedis(String status, int up) {
        for (GatewayHarness gw : gateways) {
            HttpResponse<String> ready = gw.get("/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode details = Json.MAPPER.readTree(ready.body()).get("details").get("redis");
            assertThat(details.get("status").asString()).isEqualTo(status);
            assertThat(details.get("limits").asString()).isEqualTo(up == 1 ? "shared" : "local");
            assertThat(gw.get("/metrics", null).body()).contains("\nantler_redis_up " + up + "\n");
        }
    }
}
