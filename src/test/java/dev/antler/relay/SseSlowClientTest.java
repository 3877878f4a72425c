package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.SuiteSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream much larger than the socket buffers, sent by the upstream as fast as it can, one event per
 * write, to a client that reads slowly: the relay pauses and resumes the upstream and every event
 * arrives once, in order.
 */
class SseSlowClientTest {

    private static final int EVENTS = 3000;
    private static final String PADDING = "x".repeat(2000);
    private static final String KEY = "sk-alice-slow-0001";

    private static Vertx vertx;
    private static HttpServer upstream;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            HttpServerResponse response = req.response().putHeader("Content-Type", "text/event-stream").setChunked(true);
            for (int i = 0; i < EVENTS; i++) {
                response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<" + i + ">" + PADDING
                        + "\"}}]}\n\n");
            }
            response.write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}\n\n");
            response.end("data: [DONE]\n\n");
        })).listen(0).await(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void everyEventReachesASlowClientOnceAndInOrder() throws Exception {
        try (GatewayHarness gateway = GatewayHarness.start("""
                channels: [{ name: up, base_url: "http://127.0.0.1:%d", key: sk-up, models: [gpt-4o-mini] }]
                users: [{ name: alice, balance: 1, keys: [{ key: %s }] }]
                """.formatted(upstream.actualPort(), KEY))) {
            SuiteSecrets.record("Bearer " + KEY);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                            URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                            + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);

            String body = readSlowly(response.body());

            int from = 0;
            for (int i = 0; i < EVENTS; i++) {
                String marker = "<" + i + ">";
                int at = body.indexOf(marker, from);
                assertThat(at).as("event %d after offset %d", i, from).isGreaterThanOrEqualTo(0);
                from = at + marker.length();
            }
            assertThat(body.split("\n\n")).hasSize(EVENTS + 2).allSatisfy(event -> assertThat(event).startsWith("data: "));
            assertThat(body).endsWith("data: [DONE]\n\n");
            StoreView.UsageRow row = new StoreView(gateway).awaitRequest(response.headers()
                    .firstValue("X-Request-Id").orElseThrow());
            assertThat(row.endReason()).isEqualTo("complete");
            assertThat(row.completionTokens()).isEqualTo(3);
        }
    }

    /** Reads the first part in small pieces with pauses, so the gateway's write queue fills up; then the rest. */
    private static String readSlowly(InputStream in) throws Exception {
        try (in) {
            byte[] piece = new byte[16 * 1024];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int read;
            int pieces = 0;
            while ((read = in.read(piece)) >= 0) {
                out.write(piece, 0, read);
                if (pieces++ < 100) {
                    Thread.sleep(5);
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
