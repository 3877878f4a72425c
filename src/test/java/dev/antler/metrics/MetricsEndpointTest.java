package dev.antler.metrics;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} over real sockets after relayed requests: the counts, tokens and spend equal the
 * usage log's, the stream and failure are told apart, the exposition is well formed, and the token guards it.
 */
class MetricsEndpointTest {

    private static final String TOKEN = "metrics-token-0123456789";
    private static final String CHAT = """
            {"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}""";
    private static final String STREAM = """
            {"model":"gpt-4o-mini","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    private FakeOpenAi upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                server: { port: 0, event_loops: 2, upstream_max_connections: 64 }
                metrics: { token: %s }
                health: { test_interval_seconds: 0 }
                channels:
                  - { name: main, base_url: "%s", key: sk-main-0001, models: [gpt-4o-mini] }
                users:
                %s""".formatted(TOKEN, upstream.baseUrl(), TestUsers.yaml("meter")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    @Test
    void countsTokensAndSpendEqualTheUsageLog() {
        upstream.enqueue(FakeReply.ok().usage(200, 40, 0), FakeReply.ok().usage(300, 50, 100),
                FakeReply.ok().usage(100, 10, 0), FakeReply.error(400, "invalid_request_error", "bad", "no"));
        assertThat(gw.post("/v1/chat/completions", key("meter"), CHAT).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", key("meter"), CHAT).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", key("meter"), STREAM).statusCode()).isEqualTo(200);
        assertThat(gw.post("/v1/chat/completions", key("meter"), CHAT).statusCode()).isEqualTo(400);
        List<StoreView.UsageRow> rows = store.awaitUsage("meter", 4);
        assertThat(rows).hasSize(4);

        HttpResponse<String> scrape = scrape("Bearer " + TOKEN);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        Map<String, String> samples = samples(scrape.body());
        String series = "family=\"openai\",operation=\"chat.completions\",model=\"gpt-4o-mini\",channel=\"main\"";
        String ok = series + ",status=\"200\"";
        String failed = series + ",status=\"400\"";

        assertThat(samples).as(scrape.body())
                .containsEntry("antler_requests_total{" + ok + "}", "3")
                .containsEntry("antler_requests_total{" + failed + "}", "1")
                .containsEntry("antler_tokens_total{" + ok + ",type=\"prompt\"}", "600")
                .containsEntry("antler_tokens_total{" + ok + ",type=\"completion\"}", "100")
                .containsEntry("antler_tokens_total{" + ok + ",type=\"cached\"}", "100")
                .containsEntry("antler_request_duration_seconds_count{" + series + "}", "4")
                .containsEntry("antler_request_duration_seconds_bucket{" + series + ",le=\"+Inf\"}", "4")
                .containsEntry("antler_upstream_first_byte_seconds_count{" + series + "}", "4")
                .containsEntry("antler_requests_in_flight", "0")
                .containsEntry("antler_active_streams", "0")
                .containsEntry("antler_channel_enabled{channel=\"main\",type=\"openai\",reason=\"\"}", "1")
                .containsEntry("antler_channel_breaker_state{channel=\"main\",type=\"openai\",state=\"closed\"}", "1")
                .containsEntry("antler_channels_disabled", "0")
                .containsEntry("antler_ledger_dead_letters", "0")
                .containsKey("antler_ledger_queue_depth")
                .containsKey("jvm_memory_used_bytes{area=\"heap\"}")
                .containsKey("antler_gateway_overhead_seconds_count{phase=\"request\"}");
        long spent = rows.stream().filter(r -> r.statusCode() == 200).mapToLong(StoreView.UsageRow::costNanos).sum();
        assertThat(spent).isPositive();
        assertThat(samples).containsEntry("antler_spend_nano_usd_total{" + ok + "}", Long.toString(spent))
                .containsEntry("antler_spend_nano_usd_total{" + failed + "}", "0");
        assertThat(spent).isEqualTo(store.used("meter"));
    }

    @Test
    void everyLineIsAFamilyHeaderOrASampleAndHistogramsAreCumulative() {
        upstream.always(FakeReply.ok().usage(10, 5, 0));
        for (int i = 0; i < 3; i++) {
            gw.post("/v1/chat/completions", key("meter"), CHAT);
        }
        store.awaitUsage("meter", 3);
        String body = scrape("Bearer " + TOKEN).body();
        long previous = -1;
        for (String line : body.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+");
            if (line.startsWith("antler_request_duration_seconds_bucket")) {
                long count = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
                assertThat(count).as(line).isGreaterThanOrEqualTo(previous);
                previous = line.contains("+Inf") ? -1 : count;
            }
        }
    }

    @Test
    void aStreamBeingRelayedIsActiveUntilItEnds() throws Exception {
        upstream.enqueue(FakeReply.ok().content("a", "b", "c", "d").eventDelay(400).usage(10, 4, 0));
        HttpResponse<java.io.InputStream> streaming = gw.http().send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key("meter")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(streaming.statusCode()).isEqualTo(200);

        Map<String, String> during = samples(scrape("Bearer " + TOKEN).body());
        assertThat(during).containsEntry("antler_active_streams", "1").containsEntry("antler_requests_in_flight", "1");
        try (java.io.InputStream body = streaming.body()) {
            body.readAllBytes();
        }
        store.awaitUsage("meter", 1);
        Map<String, String> after = samples(scrape("Bearer " + TOKEN).body());
        assertThat(after).containsEntry("antler_active_streams", "0").containsEntry("antler_requests_in_flight", "0");
    }

    @Test
    void theUpstreamPoolShowsTheConnectionInUseThenIdle() throws Exception {
        upstream.enqueue(FakeReply.ok().content("a", "b", "c", "d").eventDelay(400).usage(10, 4, 0));
        String host = upstream.baseUrl().substring("http://".length());
        HttpResponse<java.io.InputStream> streaming = gw.http().send(HttpRequest.newBuilder(
                        URI.create(gw.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key("meter")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofInputStream());

        Map<String, String> during = samples(scrape("Bearer " + TOKEN).body());
        assertThat(during).containsEntry("antler_upstream_pool_waiting{host=\"" + host + "\"}", "0")
                .containsEntry("antler_upstream_pool_max{host=\"" + host + "\"}", "64")
                .containsEntry("antler_upstream_connections{address=\"" + host + "\",state=\"in_use\"}", "1")
                .containsEntry("antler_upstream_connections{address=\"" + host + "\",state=\"idle\"}", "0");
        try (java.io.InputStream body = streaming.body()) {
            body.readAllBytes();
        }
        store.awaitUsage("meter", 1);
        Map<String, String> after = samples(scrape("Bearer " + TOKEN).body());
        assertThat(after).containsEntry("antler_upstream_connections{address=\"" + host + "\",state=\"in_use\"}", "0")
                .containsEntry("antler_upstream_connections{address=\"" + host + "\",state=\"idle\"}", "1");
        assertThat(after).containsEntry("antler_realtime_sessions", "0");
    }

    @Test
    void theTokenGuardsTheMetrics() {
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape("Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(scrape(null).headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(scrape(null).body()).doesNotContain("antler_requests_total");
        assertThat(scrape("Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> scrape(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/metrics")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gw.send(request.build());
    }

    /** Sample name with labels → value; comments left out. */
    static Map<String, String> samples(String exposition) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return samples;
    }
}
