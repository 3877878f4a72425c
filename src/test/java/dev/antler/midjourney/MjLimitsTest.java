package dev.antler.midjourney;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKeys;
import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.limits.Limiter;
import dev.antler.limits.MutableClock;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Midjourney submits under the key's and user's limits, like any relayed request: each refusal is a 429 in
 * midjourney-proxy's envelope ({@code code} 4 and a {@code description}), with {@code Retry-After}, never charged
 * and never sent upstream.
 */
class MjLimitsTest {

    private static final String IMAGINE = "/mj/submit/imagine";
    private static final String FOX = "{\"prompt\":\"a red fox\"}";
    private static final long OPENING = Usd.parse("10");
    private static final long IMAGINE_PRICE = Usd.parse("0.05");

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static FakeMidjourney upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeMidjourney();
        gw = GatewayHarness.start("""
                channels: [{ name: mj, type: midjourney, base_url: "%s", key: %s }]
                users:
                  - { name: paced, balance: 10, keys: [{ key: %s, rpm_limit: 1 }] }
                  - { name: capped, balance: 10, daily_spend_limit: 0.06, keys: [{ key: %s }] }
                  - { name: single, balance: 10, keys: [{ key: %s, max_concurrent: 1 }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeMidjourney.SECRET, key("paced"), key("capped"), key("single")),
                Map.of(), clock);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.release();
        upstream.submits.clear();
    }

    private static HttpResponse<String> imagine(String user) {
        return gw.post(IMAGINE, key(user), FOX);
    }

    private static HttpResponse<String> imagine(String user, String idempotencyKey) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + IMAGINE))
                .header("Authorization", "Bearer " + key(user))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(FOX)).build());
    }

    /** A refusal in midjourney-proxy's envelope: code 4, the reason in {@code description}. */
    private static JsonNode refusedInMjShape(HttpResponse<String> refused, String type) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertThat(body.path("code").asInt()).isEqualTo(4);
        assertThat(body.path("result").isNull()).isTrue();
        assertThat(body.path("type").asString()).isEqualTo(type);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        return body;
    }

    private static int accepted(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body()).path("code").asInt();
    }

    @Test
    void theKeysRequestsPerMinuteRefuseASubmitUntilTheWindowMoves() {
        assertThat(accepted(imagine("paced"))).isEqualTo(1);

        HttpResponse<String> refused = imagine("paced");
        JsonNode body = refusedInMjShape(refused, "rate_limit_exceeded");
        assertThat(body.path("description").asString()).startsWith("requests per minute: 1 reached on this key");
        assertThat(refused.headers().firstValue("Retry-After")).contains("60");
        assertThat(upstream.submits).as("the refused submit is not sent").hasSize(1);

        clock.advance(Duration.ofSeconds(60));
        assertThat(accepted(imagine("paced"))).isEqualTo(1);
        gw.awaitLedger();
        assertThat(store.ledger("paced", "charge")).containsExactly(-IMAGINE_PRICE, -IMAGINE_PRICE);
        assertThat(store.balance("paced")).isEqualTo(OPENING - 2 * IMAGINE_PRICE).isEqualTo(store.ledgerSum("paced"));
    }

    @Test
    void theUsersDailySpendCapRefusesTheSubmitThatCouldPassItAndFreesItsIdempotencyKey() {
        assertThat(accepted(imagine("capped"))).isEqualTo(1);

        // 0.05 spent of 0.06: the next imagine needs 0.05 more. The cheap check before the body passes (one
        // nano-dollar fits); the admission after it, off the event loop, refuses.
        HttpResponse<String> refused = imagine("capped", "retry-after-the-cap-1");
        JsonNode body = refusedInMjShape(refused, "daily_spend_limit_reached");
        assertThat(body.path("description").asString()).contains("this request needs up to 0.05 USD")
                .contains("(expected: at most 0.06 USD per day for this user");
        long untilMidnight = (86_400_000L - Math.floorMod(clock.millis(), 86_400_000L) + 999) / 1000;
        assertThat(refused.headers().firstValue("Retry-After")).contains(String.valueOf(untilMidnight));
        assertThat(upstream.submits).hasSize(1);
        gw.awaitLedger();
        assertThat(store.ledger("capped", "charge")).containsExactly(-IMAGINE_PRICE);

        Limiter limiter = gw.gateway().admin().limits().limiter();
        long userId = gw.gateway().admin().accounts().findUserByName("capped").orElseThrow().id();
        limiter.setDailyCap(userId, Usd.parse("1"));
        try {
            HttpResponse<String> retried = imagine("capped", "retry-after-the-cap-1");
            assertThat(accepted(retried)).as("the refusal released the key: the retry submits").isEqualTo(1);
            assertThat(retried.headers().firstValue("Idempotent-Replayed")).isEmpty();
        } finally {
            limiter.setDailyCap(userId, Usd.parse("0.06"));
        }
        assertThat(upstream.submits).hasSize(2);
        gw.awaitLedger();
        assertThat(store.ledger("capped", "charge")).containsExactly(-IMAGINE_PRICE, -IMAGINE_PRICE);
        assertThat(store.balance("capped")).isEqualTo(store.ledgerSum("capped"));
    }

    @Test
    void aSecondSubmitWhileTheFirstIsInFlightIsRefusedByTheKeysConcurrencyLimit() throws Exception {
        upstream.stall();
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> imagine("single"));
        awaitSubmits(1);

        HttpResponse<String> refused = imagine("single");
        JsonNode body = refusedInMjShape(refused, "concurrency_limit_exceeded");
        assertThat(body.path("description").asString())
                .startsWith("concurrent requests: 1 already in flight on this key (expected: at most 1 at once");
        assertThat(upstream.submits).hasSize(1);

        upstream.release();
        assertThat(accepted(slow.get(10, TimeUnit.SECONDS))).isEqualTo(1);
        Limiter limiter = gw.gateway().admin().limits().limiter();
        long keyId = gw.gateway().admin().accounts().findKeyByHash(ApiKeys.hash(key("single"))).orElseThrow().id();
        long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limiter.inFlight(keyId) > 0 && System.nanoTime() < settled) {
            Thread.sleep(5);
        }
        assertThat(limiter.inFlight(keyId)).as("the submit's slot is freed when it settles").isZero();
        assertThat(accepted(imagine("single"))).isEqualTo(1);
        gw.awaitLedger();
        assertThat(store.ledger("single", "charge")).containsExactly(-IMAGINE_PRICE, -IMAGINE_PRICE);
    }

    private static void awaitSubmits(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.submits.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(upstream.submits).hasSize(count);
    }
}
