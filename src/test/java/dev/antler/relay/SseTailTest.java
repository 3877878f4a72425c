package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An upstream that ends its stream without the blank line after the last event loses nothing. */
class SseTailTest {

    private static Vertx vertx;
    private static HttpServer upstream;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response()
                        .putHeader("Content-Type", "text/event-stream")
                        .end("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}")))
                .listen(0).await(5, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void aFinalEventWithoutItsBlankLineIsRelayedAndBilled() {
        try (GatewayHarness gateway = GatewayHarness.start("""
                channels: [{ name: up, base_url: "http://127.0.0.1:%d", key: sk-up, models: [gpt-4o-mini] }]
                users: [{ name: alice, balance: 1, keys: [{ key: sk-alice-tail-0001 }] }]
                """.formatted(upstream.actualPort()))) {
            HttpResponse<String> response = RawHttp.post(gateway, "/v1/chat/completions", "sk-alice-tail-0001",
                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\"Hi\"").contains("\"completion_tokens\":3");
            StoreView.UsageRow row = new StoreView(gateway).awaitRequest(response.headers()
                    .firstValue("X-Request-Id").orElseThrow());
            assertThat(row.billedBasis()).isEqualTo("reported");
            assertThat(row.completionTokens()).isEqualTo(3);
        }
    }
}
