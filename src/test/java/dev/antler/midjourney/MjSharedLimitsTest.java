package dev.antler.midjourney;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.limits.MutableClock;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Task submits (admitted off the event loop) under limits shared through Redis by two gateways: a submit the
 * shared count refuses is answered in midjourney-proxy's envelope, never sent, and frees its Idempotency-Key.
 */
class MjSharedLimitsTest {

    private static final String IMAGINE = "/mj/submit/imagine";
    private static final String FOX = "{\"prompt\":\"a red fox\"}";

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-05T10:00:00Z"));
    private static final String prefix = TestRedis.uniquePrefix();
    private static FakeMidjourney upstream;
    private static GatewayHarness first;
    private static GatewayHarness second;

    @BeforeAll
    static void start() throws Exception {
        String url = TestRedis.sharedUrl();
        upstream = new FakeMidjourney();
        String yaml = """
                redis: { url: "%s", key_prefix: "%s", timeout_ms: 2000 }
                channels: [{ name: mj, type: midjourney, base_url: "%s", key: %s }]
                users:
                  - { name: mjsharedpaced, balance: 10, keys: [{ key: %s, rpm_limit: 1 }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(url, prefix, upstream.baseUrl(), FakeMidjourney.SECRET, key("mjsharedpaced"));
        first = GatewayHarness.start(yaml, Map.of(), clock);
        second = GatewayHarness.start(yaml, Map.of(), clock);
        for (GatewayHarness gw : List.of(first, second)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!gw.gateway().redisUp()) {
                assertThat(System.nanoTime()).as("redis up").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stop() {
        for (GatewayHarness gw : new GatewayHarness[] {first, second}) {
            if (gw != null) {
                gw.close();
            }
        }
        if (upstream != null) {
            upstream.close();
        }
        TestRedis.deleteShared(prefix);
    }

    @Test
    void aSubmitRefusedByTheSharedCountIsNotSentAndFreesItsIdempotencyKey() {
        HttpResponse<String> accepted = imagine(first, "shared-once-1");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(accepted.body()).path("code").asInt()).isEqualTo(1);

        HttpResponse<String> refused = imagine(second, "shared-once-2");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertThat(body.path("code").asInt()).isEqualTo(4);
        assertThat(body.path("type").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(body.path("description").asString()).startsWith("requests per minute: 1 reached on this key");
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
        assertThat(upstream.submits).as("the refused submit is not sent").hasSize(1);

        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> retried = imagine(second, "shared-once-2");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).as("the refusal released the key").isEmpty();
        assertThat(upstream.submits).hasSize(2);
        second.awaitLedger();
        StoreView store = new StoreView(second);
        assertThat(store.balance("mjsharedpaced")).isEqualTo(store.ledgerSum("mjsharedpaced"));
    }

    private static HttpResponse<String> imagine(GatewayHarness gw, String idempotencyKey) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + IMAGINE))
                .header("Authorization", "Bearer " + key("mjsharedpaced"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(FOX)).build());
    }
}
