package dev.antler.admin;

import static dev.antler.admin.AdminClient.badRequest;
import static dev.antler.admin.AdminClient.json;
import static dev.antler.admin.AdminClient.sum;
import static dev.antler.admin.AdminClient.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKeys;
import dev.antler.billing.Usd;
import dev.antler.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Admin channels, prices and usage logs, with a fake OpenAI upstream behind the gateway. */
class AdminRoutingApiTest {

    private static final String CHAT = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,
            "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""";

    private static Vertx vertx;
    private static HttpServer upstream;
    private static GatewayHarness gw;
    private static AdminClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(b -> req.response()
                        .putHeader("Content-Type", "application/json").end(CHAT)))
                .listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        gw = GatewayHarness.start("");
        client = new AdminClient(gw);
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void channelKeyIsWriteOnlyAndChangesReachRouting() {
        assertThat(client.admin("PUT", "/api/admin/groups/chan-test", "{\"multiplier\":1}").statusCode())
                .isEqualTo(201);
        long userId = client.createUser("channels", "1", "chan-test");
        String userKey = client.createKey(userId, "{}").get("key").asString();
        String secret = "sk-upstream-secret-0123456789abcdef";
        HttpResponse<String> created = client.admin("POST", "/api/admin/channels", """
                {"name":"chan-a","base_url":"%s","key":"%s","models":["chan-model-a"],"groups":["chan-test"]}
                """.formatted(upstreamUrl(), secret));
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        assertThat(json(created).get("key_hint").asString()).isEqualTo(ApiKeys.hint(secret));
        assertThat(json(created).get("type").asString()).isEqualTo("openai");
        assertThat(client.models(userKey)).containsExactly("chan-model-a");

        String path = "/api/admin/channels/" + id;
        JsonNode patched = client.adminJson("PATCH", path,
                "{\"models\":[\"chan-model-b\"],\"priority\":5,\"key\":\"sk-upstream-rotated-0123456789\"}");
        assertThat(patched.get("priority").asInt()).isEqualTo(5);
        assertThat(client.models(userKey)).containsExactly("chan-model-b");
        assertThat(client.adminJson("PATCH", path, "{\"enabled\":false}").get("enabled").asBoolean()).isFalse();
        assertThat(client.models(userKey)).isEmpty();

        for (String listing : List.of("/api/admin/channels", path)) {
            HttpResponse<String> listed = client.admin("GET", listing, null);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("chan-a").doesNotContain(secret).doesNotContain("rotated-0123456789");
        }
        assertThat(client.admin("POST", "/api/admin/channels", """
                {"name":"chan-a","base_url":"http://127.0.0.1:1","key":"k"}""").statusCode()).isEqualTo(409);
        assertThat(badRequest(client.admin("POST", "/api/admin/channels", """
                {"name":"chan-b","base_url":"ftp://x","key":"k"}""")))
                .startsWith("base_url: ftp://x (expected: an absolute http:// or https:// URL");
        assertThat(client.admin("DELETE", path, null).statusCode()).isEqualTo(200);
        assertThat(client.admin("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(client.admin("DELETE", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void channelTypesAreTheFamiliesOnes() {
        String expected = " (expected: one of anthropic, flux, ideogram, kling, luma, midjourney, minimax, openai, pika, recraft, replicate, runway, runway-compat, suno, udio)";
        assertThat(badRequest(client.admin("POST", "/api/admin/channels", """
                {"name":"typed-foo","type":"foo","base_url":"https://x.example","key":"k"}""")))
                .isEqualTo("type: foo" + expected);
        assertThat(badRequest(client.admin("POST", "/api/admin/channels", """
                {"name":"typed-openai","key":"k"}""")))
                .isEqualTo("base_url: missing (expected: the upstream's URL: channels of type openai have no default)");

        // Ideogram's channels may leave the base URL to the type's default; the listing shows what was set.
        HttpResponse<String> ideogram = client.admin("POST", "/api/admin/channels", """
                {"name":"typed-ideogram","type":"ideogram","key":"k","groups":["nobody"]}""");
        assertThat(ideogram.statusCode()).as(ideogram.body()).isEqualTo(201);
        assertThat(json(ideogram).get("base_url").asString()).isEmpty();
        long id = json(ideogram).get("id").asLong();
        assertThat(gw.gateway().admin().registry().all()).filteredOn(c -> c.id() == id).singleElement()
                .satisfies(c -> assertThat(c.url("/generate")).isEqualTo("https://api.ideogram.ai/generate"));
        String path = "/api/admin/channels/" + id;
        assertThat(badRequest(client.admin("PATCH", path, "{\"type\":\"foo\"}"))).isEqualTo("type: foo" + expected);
        assertThat(badRequest(client.admin("PATCH", path, "{\"type\":\"midjourney\"}")))
                .isEqualTo("base_url: missing (expected: the upstream's URL: channels of type midjourney have no "
                        + "default)");
        assertThat(client.adminJson("GET", path, null).get("type").asString()).isEqualTo("ideogram");
        assertThat(client.admin("DELETE", path, null).statusCode()).isEqualTo(200);
    }

    @Test
    void pricesOverrideAndFallBackToTheDefault() {
        JsonNode nano = price("gpt-4.1-nano");
        assertThat(nano.get("source").asString()).isEqualTo("default");
        assertThat(usd(nano, "input_per_mtok")).isEqualByComparingTo("0.10");
        assertThat(nano.has("per_call")).isFalse();

        String path = "/api/admin/prices/gpt-4.1-nano";
        assertThat(client.admin("PUT", path, "{\"input_per_mtok\":0.2,\"output_per_mtok\":\"0.8\"}").statusCode())
                .isEqualTo(200);
        assertThat(price("gpt-4.1-nano").get("source").asString()).isEqualTo("override");
        assertThat(usd(price("gpt-4.1-nano"), "input_per_mtok")).isEqualByComparingTo("0.2");
        assertThat(usd(price("gpt-4.1-nano").get("default"), "input_per_mtok")).isEqualByComparingTo("0.10");
        assertThat(usd(json(client.admin("GET", path, null)).get("default"), "input_per_mtok"))
                .isEqualByComparingTo("0.10");
        assertThat(gw.gateway().admin().priceBook().find("gpt-4.1-nano").orElseThrow().inputPerMtok())
                .isEqualTo(Usd.parse("0.2"));

        assertThat(client.admin("PUT", "/api/admin/prices/acme/model-1.5", "{\"per_call\":0.01}").statusCode())
                .isEqualTo(200);
        assertThat(client.admin("GET", "/api/admin/prices/acme%2Fmodel-1.5", null).body())
                .contains("\"per_call\":0.01");
        assertThat(price("acme/model-1.5").get("source").asString()).isEqualTo("override");
        assertThat(price("acme/model-1.5").get("default").isNull()).isTrue();

        HttpResponse<String> deleted = client.admin("DELETE", path, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).at("/effective/source").asString()).isEqualTo("default");
        assertThat(usd(price("gpt-4.1-nano"), "input_per_mtok")).isEqualByComparingTo("0.10");
        assertThat(client.admin("DELETE", path, null).statusCode()).isEqualTo(404);
        assertThat(client.admin("DELETE", "/api/admin/prices/acme/model-1.5", null).statusCode()).isEqualTo(200);
        assertThat(client.admin("GET", "/api/admin/prices/acme/model-1.5", null).statusCode()).isEqualTo(404);
        assertThat(badRequest(client.admin("PUT", "/api/admin/prices/x", "{}"))).startsWith("body: {} (expected:");
    }

    @Test
    void logsFilterByUserKeyAndModel() throws Exception {
        client.admin("PUT", "/api/admin/groups/logs-test", "{\"multiplier\":1}");
        long userId = client.createUser("logs", "5", "logs-test");
        JsonNode key = client.createKey(userId, "{}");
        long keyId = key.get("id").asLong();
        JsonNode channel = client.adminJson("POST", "/api/admin/channels", """
                {"name":"logs-up","base_url":"%s","key":"sk-up","models":["gpt-4o-mini"],"groups":["logs-test"]}
                """.formatted(upstreamUrl()));
        HttpResponse<String> chat = client.relayPost("/v1/chat/completions", key.get("key").asString(),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);

        JsonNode rows = awaitLogs("/api/admin/logs?user_id=" + userId);
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.get("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(row.get("key_id").asLong()).isEqualTo(keyId);
        assertThat(row.get("channel_id").asLong()).isEqualTo(channel.get("id").asLong());
        assertThat(row.get("status").asInt()).isEqualTo(200);
        assertThat(row.get("prompt_tokens").asLong()).isEqualTo(10);
        assertThat(row.get("completion_tokens").asLong()).isEqualTo(2);
        assertThat(usd(row, "cost")).isEqualByComparingTo("0.0000027");
        assertThat(row.get("end_reason").asString()).isEqualTo("complete");
        assertThat(row.get("time").asString()).endsWith("Z");

        assertThat(client.adminJson("GET", "/api/admin/logs?user_id=" + userId + "&model=gpt-4o", null).get("data"))
                .isEmpty();
        String window = "&from=2000-01-01T00:00:00Z&to=" + (System.currentTimeMillis() + 60_000);
        assertThat(client.adminJson("GET", "/api/admin/logs?key_id=" + keyId + "&model=gpt-4o-mini" + window, null)
                .get("data")).hasSize(1);
        assertThat(client.adminJson("GET", "/api/admin/logs?user_id=" + userId + "&to=2000-01-01T00:00:00Z", null)
                .get("data")).isEmpty();
        JsonNode summary = client.adminJson("GET", "/api/admin/logs/summary?group_by=user&user_id=" + userId, null);
        assertThat(summary.at("/data/0/user_id").asLong()).isEqualTo(userId);
        assertThat(summary.at("/data/0/requests").asLong()).isEqualTo(1);
        assertThat(usd(summary.get("total"), "cost")).isEqualByComparingTo("0.0000027");

        gw.awaitLedger();
        JsonNode user = client.adminJson("GET", "/api/admin/users/" + userId, null);
        assertThat(usd(user, "balance")).isEqualByComparingTo("4.9999973");
        assertThat(sum(client.adminJson("GET", "/api/admin/users/" + userId + "/ledger", null).get("data")))
                .isEqualByComparingTo("4.9999973");
    }

    @Test
    void overheadHistogramsCountRelayedRequests() {
        client.admin("PUT", "/api/admin/groups/overhead-test", "{\"multiplier\":1}");
        long userId = client.createUser("overhead", "5", "overhead-test");
        String key = client.createKey(userId, "{}").get("key").asString();
        client.adminJson("POST", "/api/admin/channels", """
                {"name":"overhead-up","base_url":"%s","key":"sk-up","models":["gpt-4o-mini"],"groups":["overhead-test"]}
                """.formatted(upstreamUrl()));
        client.admin("DELETE", "/api/admin/metrics/overhead", null);
        for (int i = 0; i < 3; i++) {
            assertThat(client.relayPost("/v1/chat/completions", key,
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
        }
        JsonNode read = client.adminJson("DELETE", "/api/admin/metrics/overhead", null);
        for (String phase : List.of("request_to_upstream", "upstream_to_client")) {
            JsonNode figures = read.get(phase);
            assertThat(figures.get("count").asLong()).as(phase).isEqualTo(3);
            assertThat(figures.get("p50_us").asDouble()).as(phase).isPositive();
            assertThat(figures.get("max_us").asDouble()).as(phase)
                    .isGreaterThanOrEqualTo(figures.get("p99_us").asDouble());
        }
        assertThat(client.adminJson("GET", "/api/admin/metrics/overhead", null).at("/request_to_upstream/count")
                .asLong()).isZero();
    }

    private static String upstreamUrl() {
        return "http://127.0.0.1:" + upstream.actualPort();
    }

    private static JsonNode price(String model) {
        JsonNode list = client.adminJson("GET", "/api/admin/prices", null);
        for (JsonNode p : list.get("data")) {
            if (p.get("model").asString().equals(model)) {
                return p;
            }
        }
        throw new AssertionError("no price for " + model + " in " + list);
    }

    /** Usage rows are written by the ledger writer shortly after the answer; waits up to 5 s. */
    private static JsonNode awaitLogs(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            JsonNode rows = client.adminJson("GET", path, null).get("data");
            if (!rows.isEmpty() || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(20);
        }
    }
}
