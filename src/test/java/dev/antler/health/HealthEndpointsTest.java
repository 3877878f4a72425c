package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.store.Database;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /health/live} and {@code /health/ready} over real sockets: ready when the store answers at this build's
 * schema version; 503 when it is behind, when the store cannot be reached, and while a stop drains the instance
 * (which still serves requests meanwhile); live throughout.
 */
class HealthEndpointsTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""";

    private FakeOpenAi upstream;
    private GatewayHarness gw;

    @BeforeEach
    void start() {
        upstream = FakeOpenAi.start();
        upstream.always(FakeReply.ok().usage(10, 5, 0));
        gw = GatewayHarness.start("""
                health: { test_interval_seconds: 0, drain_delay_ms: 1500 }
                channels:
                  - { name: main, base_url: "%s", key: sk-main-0001, models: [gpt-4o-mini] }
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("prober")));
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        upstream.close();
    }

    @Test
    void liveAndReadyWhenTheStoreIsAtItsSchemaVersion() {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).path("status").asString()).isEqualTo("live");
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).path("status").asString()).isEqualTo("ready");
        assertThat(json(ready).path("schema_version").asInt()).isEqualTo(Database.expectedSchemaVersion());
        assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void notReadyWhenTheStoreIsBehindItsSchemaVersion() {
        int expected = Database.expectedSchemaVersion();
        gw.gateway().database().jdbi().useHandle(h -> h.execute(
                "UPDATE flyway_schema_history SET success = 0 WHERE version = '" + expected + "'"));

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).path("reason").asString()).isEqualTo("schema_version");
        assertThat(json(ready).path("detail").asString()).contains("(expected: " + expected + ")");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        gw.gateway().database().jdbi().useHandle(h -> h.execute(
                "UPDATE flyway_schema_history SET success = 1 WHERE version = '" + expected + "'"));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void notReadyWhenTheStoreCannotBeReached() {
        gw.gateway().database().close();

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).path("status").asString()).isEqualTo("not_ready");
        assertThat(json(ready).path("reason").asString()).isEqualTo("store_unreachable");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void aStopAnswersNotReadyWhileItStillServesThenStopsListening() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        GatewayHarness stopping = gw;
        gw = null;
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close);

        HttpResponse<String> ready = awaitNotReady(stopping);
        assertThat(json(ready).path("reason").asString()).isEqualTo("draining");
        assertThat(stopping.post("/v1/chat/completions", key("prober"), CHAT).statusCode())
                .as("still served while draining").isEqualTo(200);
        assertThat(get(stopping, "/health/live").statusCode()).isEqualTo(200);
        stopped.get(60, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> awaitNotReady(GatewayHarness harness) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            HttpResponse<String> ready = get(harness, "/health/ready");
            if (ready.statusCode() == 503 || System.nanoTime() > deadline) {
                assertThat(ready.statusCode()).isEqualTo(503);
                return ready;
            }
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> get(String path) {
        return get(gw, path);
    }

    private static HttpResponse<String> get(GatewayHarness harness, String path) {
        return harness.send(HttpRequest.newBuilder(URI.create(harness.baseUrl() + path)).GET().build());
    }

    private static JsonNode json(HttpResponse<String> answer) {
        return Json.MAPPER.readTree(answer.body());
    }
}
