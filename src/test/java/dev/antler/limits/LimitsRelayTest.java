package dev.antler.limits;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.FormData;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
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

/** The limits over real sockets: each refusal is a 429 or 413 in the family's envelope, never charged or sent. */
class LimitsRelayTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""";
    private static final long OPENING = 10_000_000_000L;

    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                server: { port: 0, event_loops: 2, max_json_bytes: 4096, max_body_bytes: 1048576 }
                channels:
                  - { name: main, base_url: "%s", key: sk-upstream-limits-0001, models: [gpt-4o-mini, whisper-1] }
                users:
                  - { name: paced, balance: 10, keys: [{ key: %s, rpm_limit: 2 }] }
                  - { name: single, balance: 10, keys: [{ key: %s, max_concurrent: 1 }] }
                  - { name: capped, balance: 10, daily_spend_limit: 0.00005, keys: [{ key: %s }] }
                %s""".formatted(upstream.baseUrl(), key("paced"), key("single"), key("capped"),
                TestUsers.yaml("sizes", "managed")), Map.of(), clock);
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void requestsPerMinuteAnswer429WithRetryAfterUntilTheWindowMoves() {
        assertThat(chat("paced").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(15));
        assertThat(chat("paced").statusCode()).isEqualTo(200);

        HttpResponse<String> refused = chat("paced");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("45");
        JsonNode error = Json.MAPPER.readTree(refused.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("rate_limit_error");
        assertThat(error.get("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asString()).startsWith("requests per minute: 2 reached on this key");
        assertThat(upstream.requests()).hasSize(2);
        assertThat(store.awaitUsage("paced", 2)).hasSize(2);

        clock.advance(Duration.ofSeconds(45));
        assertThat(chat("paced").statusCode()).isEqualTo(200);
        gw.awaitLedger();
        assertThat(store.usage("paced")).hasSize(3);
        assertThat(store.balance("paced")).isEqualTo(store.ledgerSum("paced"));
    }

    @Test
    void aConcurrencySlotIsFreedWhenTheRequestSettles() throws Exception {
        upstream.enqueue(FakeReply.ok().delay(1500));
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> chat("single"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        HttpResponse<String> refused = chat("single");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("concurrency_limit_exceeded")
                .contains("concurrent requests: 1 already in flight on this key (expected: at most 1 at once");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");

        assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // The client can hold the whole answer a moment before the upstream's end settles the request.
        long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gw.gateway().admin().limits().limiter().inFlight(keyId("single")) > 0 && System.nanoTime() < settled) {
            Thread.sleep(5);
        }
        assertThat(chat("single").statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).hasSize(2);
        long secondSettled = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); // the same moment as above
        while (gw.gateway().admin().limits().limiter().inFlight(keyId("single")) > 0
                && System.nanoTime() < secondSettled) {
            Thread.sleep(5);
        }
        assertThat(gw.gateway().admin().limits().limiter().inFlight(keyId("single"))).isZero();
    }

    @Test
    void theDailySpendCapRefusesWhatCouldPassItAndIsSetByTheAdminApi() {
        HttpResponse<String> refused = chat("capped");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = Json.MAPPER.readTree(refused.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("insufficient_quota");
        assertThat(error.get("code").asString()).isEqualTo("daily_spend_limit_reached");
        assertThat(error.get("message").asString()).contains("(expected: at most 0.00005 USD per day for this user");
        assertThat(refused.headers().firstValue("Retry-After")).contains(String.valueOf(14 * 3600));
        assertThat(upstream.requests()).isEmpty();

        long userId = userId("capped");
        HttpResponse<String> raised = admin("PUT", "/api/admin/users/" + userId + "/limits", """
                {"daily_spend_limit": 1.5}""");
        assertThat(raised.statusCode()).isEqualTo(200);
        assertThat(raised.body()).contains("\"daily_spend_limit\":1.5");
        assertThat(chat("capped").statusCode()).isEqualTo(200);
        gw.awaitLedger();
        long charged = OPENING - store.balance("capped");
        assertThat(charged).isPositive();
        assertThat(admin("GET", "/api/admin/users/" + userId + "/limits", null).body())
                .contains("\"spent_today\":" + dev.antler.billing.Usd.toDecimal(charged));
    }

    @Test
    void keyLimitsAreReadAndReplacedByTheAdminApi() {
        long keyId = keyId("managed");
        HttpResponse<String> set = admin("PUT", "/api/admin/keys/" + keyId + "/limits", """
                {"rpm_limit": 1, "tpm_limit": 50000, "max_concurrent": 3}""");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(set.body()).contains("\"rpm_limit\":1", "\"tpm_limit\":50000", "\"max_concurrent\":3");
        assertThat(chat("managed").statusCode()).isEqualTo(200);
        assertThat(chat("managed").statusCode()).isEqualTo(429);

        assertThat(admin("PUT", "/api/admin/keys/" + keyId + "/limits", "{}").body())
                .contains("\"rpm_limit\":null", "\"tpm_limit\":null", "\"max_concurrent\":null");
        assertThat(chat("managed").statusCode()).isEqualTo(200);

        HttpResponse<String> invalid = admin("PUT", "/api/admin/keys/" + keyId + "/limits", """
                {"rpm_limit": 0}""");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("rpm_limit: 0 (expected: an integer from 1 to 2147483647)");
        assertThat(admin("GET", "/api/admin/keys/999999/limits", null).statusCode()).isEqualTo(404);
    }

    @Test
    void jsonBodiesHaveTheirOwnSmallerLimitThanUploads() {
        String big = CHAT.replace("Hello", "x".repeat(5000));
        HttpResponse<String> refused = RawHttp.post(gw, "/v1/chat/completions", key("sizes"), big);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("request body: larger than 4096 bytes (expected: <= 4096 bytes; "
                + "the operator sets server.max_json_bytes for JSON, server.max_body_bytes for uploads)");

        FormData upload = FormData.builder().field("model", "whisper-1")
                .file("file", "speech.mp3", "audio/mpeg", new byte[100_000]).build();
        HttpResponse<String> accepted = RawHttp.postForm(gw, "/v1/audio/transcriptions", key("sizes"), upload);
        assertThat(accepted.statusCode()).isEqualTo(200);

        FormData tooBig = FormData.builder().field("model", "whisper-1")
                .file("file", "speech.mp3", "audio/mpeg", new byte[1_100_000]).build();
        assertThat(RawHttp.postForm(gw, "/v1/audio/transcriptions", key("sizes"), tooBig).statusCode()).isEqualTo(413);
        assertThat(upstream.requests()).hasSize(1);
        gw.awaitLedger();
        assertThat(store.usage("sizes")).hasSize(1);
    }

    private static HttpResponse<String> chat(String user) {
        return RawHttp.post(gw, "/v1/chat/completions", key(user), CHAT);
    }

    private static long userId(String name) {
        return gw.gateway().admin().accounts().findUserByName(name).orElseThrow().id();
    }

    private static long keyId(String name) {
        return gw.gateway().admin().accounts().findKeyByHash(dev.antler.accounts.ApiKeys.hash(key(name)))
                .orElseThrow().id();
    }

    private static HttpResponse<String> admin(String method, String path, String json) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
