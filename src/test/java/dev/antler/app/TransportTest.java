package dev.antler.app;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import io.netty.channel.epoll.Epoll;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport the gateway serves and calls upstreams through: Linux's epoll by Netty's native library where it
 * loads (the default, which the rest of the suite runs on there), the JDK's selector when turned off. Both relay
 * answers whole, streamed or not, with bodies larger than a socket buffer both ways.
 */
class TransportTest {

    private static final String BIG_PROMPT = "a".repeat(3 * 1024 * 1024);

    private static FakeOpenAi upstream;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void theNativeEpollTransportServesByDefaultWhereItLoads() {
        assumeTrue(Epoll.isAvailable(), () -> "Netty's native epoll transport does not load here: "
                + Epoll.unavailabilityCause());
        try (GatewayHarness gw = gateway("")) {
            assertThat(gw.gateway().transport()).isEqualTo("native epoll transport");
            relaysWhole(gw);
        }
    }

    @Test
    void theJdkSelectorServesWhenTheNativeTransportIsOff() {
        try (GatewayHarness gw = gateway("server: { native_transport: false }\n")) {
            assertThat(gw.gateway().transport()).isEqualTo("JDK selector transport");
            relaysWhole(gw);
        }
    }

    private static GatewayHarness gateway(String server) {
        return GatewayHarness.start(server + """
                channels: [{ name: main, base_url: "%s", key: sk-upstream-0001, models: [gpt-4o-mini] }]
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("plain", "streamer", "big")));
    }

    private static void relaysWhole(GatewayHarness gw) {
        StoreView store = new StoreView(gw);
        HttpResponse<String> plain = RawHttp.post(gw, "/v1/chat/completions", key("plain"),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).contains("\"chat.completion\"");
        assertThat(store.onlyUsage("plain").endReason()).isEqualTo("complete");

        HttpResponse<String> streamed = RawHttp.post(gw, "/v1/chat/completions", key("streamer"),
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).startsWith("data: ").endsWith("data: [DONE]\n\n");
        assertThat(store.onlyUsage("streamer").endReason()).isEqualTo("complete");

        HttpResponse<String> big = RawHttp.post(gw, "/v1/chat/completions", key("big"),
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + BIG_PROMPT + "\"}]}");
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(upstream.requests()).last().satisfies(received ->
                assertThat(received.json().at("/messages/0/content").asString()).isEqualTo(BIG_PROMPT));
        upstream.reset();
    }
}
