package dev.antler.openai.realtime;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.Browser;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.node.ObjectNode;

/**
 * A browser app in real headless Chromium, built as OpenAI tells browser apps to be: its own server mints an
 * ephemeral key through the gateway with the app's long-lived key ({@code POST /v1/realtime/client_secrets}); the
 * page fetches it and opens the WebSocket to the gateway with the {@code openai-insecure-api-key.<ephemeral>}
 * subprotocol (a browser cannot set headers on a WebSocket), does a text turn, then finds the key spent. The turn
 * is billed to the app's key from its usage. Skipped, saying why, without Debian's chromium and chromedriver.
 */
class BrowserRealtimeTest {

    private static final long TEXT_TURN_COST = 6_965_600L;

    /** The app's page: {@code GATEWAY} is the gateway's ws:// origin. Reports to {@code window.report}. */
    private static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>voice app</title></head><body><pre id="log"></pre>
            <script>
            const log = (line) => document.getElementById('log').textContent += line + '\\n';
            const url = GATEWAY + '/v1/realtime?model=gpt-realtime';
            const open = (key) => new WebSocket(url, ['realtime', 'openai-insecure-api-key.' + key]);
            (async () => {
              const { value } = await (await fetch('/token', { method: 'POST' })).json();
              const ws = open(value);
              let text = '';
              ws.onmessage = (message) => {
                const event = JSON.parse(message.data);
                log(event.type);
                if (event.type === 'session.created') {
                  ws.send(JSON.stringify({ type: 'conversation.item.create', item: { type: 'message', role: 'user',
                    content: [{ type: 'input_text', text: 'Say hello.' }] } }));
                  ws.send(JSON.stringify({ type: 'response.create', response: { output_modalities: ['text'] } }));
                } else if (event.type === 'response.output_text.delta') {
                  text += event.delta;
                } else if (event.type === 'response.done') {
                  const report = { protocol: ws.protocol, text, usage: event.response.usage };
                  ws.onclose = (closed) => {
                    report.closed = closed.code;
                    const again = open(value);
                    again.onopen = () => { report.reused = 'opened'; window.report = report; };
                    again.onerror = () => { report.reused = 'refused'; window.report = report; };
                  };
                  ws.close(1000);
                }
              };
            })().catch((error) => { window.report = { failed: String(error) }; });
            </script></body></html>""";

    @Test
    void aPageOpensASessionWithAnEphemeralKeyItsServerMintedAndTheTurnIsBilled() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Browser browser = Browser.start();
             FakeRealtime upstream = FakeRealtime.start();
             GatewayHarness gw = GatewayHarness.start("""
                     channels:
                       - { name: main, base_url: "%s/v1", key: sk-upstream-realtime-key-0005, models: [gpt-realtime] }
                     users:
                     %s""".formatted(upstream.baseUrl(), TestUsers.yaml("webapp")))) {
            HttpServer app = appServer(vertx, gw);
            ChromeDriver driver = browser.driver();
            driver.get("http://127.0.0.1:" + app.actualPort() + "/");
            ChromeDriver page = driver;
            String reported = new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> (String) page.executeScript(
                    "return window.report ? JSON.stringify(window.report) : null"));
            ObjectNode report = Json.objectOrNull(reported.getBytes(StandardCharsets.UTF_8));

            assertThat(report.has("failed")).as(reported).isFalse();
            assertThat(report.path("protocol").asString()).isEqualTo("realtime");
            assertThat(report.path("text").asString()).isEqualTo("Hello from realtime!");
            assertThat(report.path("usage").path("total_tokens").asInt()).isEqualTo(253);
            assertThat(report.path("closed").asInt()).isEqualTo(1000);
            assertThat(report.path("reused").asString()).as("the ephemeral key, used again").isEqualTo("refused");

            StoreView store = new StoreView(gw);
            List<UsageRow> rows = store.awaitUsage("webapp", 2);
            assertThat(rows).extracting(UsageRow::costNanos).containsExactly(TEXT_TURN_COST, 0L);
            assertThat(rows.get(1).endReason()).isEqualTo("complete");
            assertThat(store.balance("webapp")).isEqualTo(10_000_000_000L - TEXT_TURN_COST)
                    .isEqualTo(store.ledgerSum("webapp"));
            assertThat(upstream.upgrades()).as("the refused reuse never reached the upstream").hasSize(1);
            assertThat(upstream.upgrades().getFirst().headers().entries().toString())
                    .doesNotContain(key("webapp"), "openai-insecure-api-key");
        } finally {
            vertx.close().await();
        }
    }

    /** The app's own server: its page, and {@code POST /token} minting an ephemeral key with the app's key. */
    private static HttpServer appServer(Vertx vertx, GatewayHarness gw) {
        String page = PAGE.replace("GATEWAY + ", "'ws://127.0.0.1:" + gw.port() + "' + ");
        return vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/token")) {
                vertx.executeBlocking(() -> gw.post("/v1/realtime/client_secrets", key("webapp"),
                                "{\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}"))
                        .onSuccess(minted -> answer(request, minted))
                        .onFailure(e -> request.response().setStatusCode(500).end());
            } else {
                request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
            }
        }).listen(0, "127.0.0.1").await();
    }

    private static void answer(io.vertx.core.http.HttpServerRequest request, HttpResponse<String> minted) {
        ObjectNode secret = Json.objectOrNull(minted.body().getBytes(StandardCharsets.UTF_8));
        request.response().setStatusCode(minted.statusCode()).putHeader("Content-Type", "application/json")
                .end(minted.statusCode() == 200 ? "{\"value\":\"" + secret.path("value").asString() + "\"}"
                        : minted.body());
    }
}
