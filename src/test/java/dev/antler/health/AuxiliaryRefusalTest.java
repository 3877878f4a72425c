package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.antler.json.Json;
import dev.antler.testing.AnthropicHttp;
import dev.antler.testing.AnthropicReply;
import dev.antler.testing.FakeAnthropic;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A refused key on an auxiliary route (token counting, an account route a channel test probes) proves nothing
 * about the routes the channel serves — a proxy or a key scoped to them may refuse the rest — so it does not
 * disable the channel; a refusal on a served route does, and the reason names the route.
 */
class AuxiliaryRefusalTest {

    private static final String MESSAGE = """
            {"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""";
    private static FakeAnthropic anthropic;
    private static HttpServer accountlessProxy;
    private static GatewayHarness gw;
    private static StoreView store;

    @BeforeAll
    static void start() throws IOException {
        anthropic = FakeAnthropic.start();
        // A proxy that forwards the generation routes only: anything else is refused as unauthenticated.
        accountlessProxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        accountlessProxy.createContext("/", ex -> {
            byte[] body = "{\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid key\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        accountlessProxy.start();
        gw = GatewayHarness.start("""
                health: { test_interval_seconds: 0 }
                channels:
                  - { name: claude, type: anthropic, base_url: "%s", key: sk-ant-aux-0031, models: [claude-haiku-4-5] }
                  - { name: bfl-proxy, type: flux, base_url: "http://127.0.0.1:%d", key: bfl-aux-0031 }
                users:
                %s""".formatted(anthropic.baseUrl(), accountlessProxy.getAddress().getPort(),
                TestUsers.yaml("counter")));
        store = new StoreView(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
        anthropic.close();
        accountlessProxy.stop(0);
    }

    @Test
    void aRefusedTokenCountLeavesTheChannelServingAndARefusedMessageDisablesItNamingTheRoute() throws Exception {
        anthropic.enqueue(AnthropicReply.error(401, "authentication_error", "invalid x-api-key"));
        HttpResponse<String> count = AnthropicHttp.post(gw, "/v1/messages/count_tokens", key("counter"), """
                {"model":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}""");
        assertThat(count.statusCode()).as(count.body()).isGreaterThanOrEqualTo(400);

        HttpResponse<String> message = AnthropicHttp.post(gw, "/v1/messages", key("counter"), MESSAGE);
        assertThat(message.statusCode()).as(message.body()).isEqualTo(200);
        assertThat(store.channelStatus("claude").status()).isEqualTo("active");

        anthropic.enqueue(AnthropicReply.error(401, "authentication_error", "invalid x-api-key"));
        assertThat(AnthropicHttp.post(gw, "/v1/messages", key("counter"), MESSAGE).statusCode()).isEqualTo(502);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && store.channelStatus("claude").status().equals("active")) {
            Thread.sleep(20);
        }
        assertThat(store.channelStatus("claude").reason())
                .isEqualTo("auto-disabled: upstream HTTP 401 authentication_error on POST /v1/messages");
    }

    @Test
    void aChannelTestRefusedOnAnAccountRouteFailsNamingItWithoutDisablingTheChannel() {
        HttpResponse<String> answer = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/channels/"
                        + store.channelId("bfl-proxy") + "/test"))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        JsonNode result = Json.MAPPER.readTree(answer.body());

        assertThat(result.path("passed").asBoolean()).as(answer.body()).isFalse();
        assertThat(result.path("disabled").asBoolean()).isFalse();
        assertThat(result.path("message").asString()).startsWith("upstream HTTP 401 on GET /v1/credits: ");
        assertThat(store.channelStatus("bfl-proxy").status()).isEqualTo("active");
    }
}
