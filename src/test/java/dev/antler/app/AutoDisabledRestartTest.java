package dev.antler.app;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A restart re-applies the config file: a channel the gateway disabled itself (its upstream refused the
 * key) stays disabled while the file still names the same key and base URL, and is tried again once the
 * operator changes either. A channel the file itself disables stays disabled either way.
 */
class AutoDisabledRestartTest {

    private static final String CHAT = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

    private Path dir;
    private FakeOpenAi upstream;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("antler-autodisabled-");
        upstream = FakeOpenAi.start();
    }

    @AfterEach
    void stop() throws Exception {
        upstream.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private GatewayHarness gateway(String channelKey, String baseUrl) {
        return GatewayHarness.start("""
                database: { url: "jdbc:sqlite:%s" }
                health: { test_interval_seconds: 0 }
                channels:
                  - { name: refused, base_url: "%s", key: %s, models: [gpt-4o-mini] }
                users:
                %s""".formatted(dir.resolve("antler.db"), baseUrl, channelKey, TestUsers.yaml("restarter")));
    }

    private void disableByRefusedKey() throws Exception {
        try (GatewayHarness first = gateway("sk-refused-old-0012", upstream.baseUrl())) {
            upstream.enqueue(FakeReply.error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key"));
            assertThat(first.post("/v1/chat/completions", key("restarter"), CHAT).statusCode()).isEqualTo(502);
            StoreView store = new StoreView(first);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && store.channelStatus("refused").status().equals("active")) {
                Thread.sleep(20);
            }
            assertThat(store.channelStatus("refused").reason()).startsWith("auto-disabled: ");
        }
    }

    @Test
    void theSameKeyAndBaseUrlKeepTheChannelDisabledAcrossARestart() throws Exception {
        disableByRefusedKey();

        try (GatewayHarness second = gateway("sk-refused-old-0012", upstream.baseUrl())) {
            StoreView.ChannelStatus status = new StoreView(second).channelStatus("refused");
            HttpResponse<String> answer = second.post("/v1/chat/completions", key("restarter"), CHAT);

            assertThat(status.status()).isEqualTo("disabled");
            assertThat(status.reason()).startsWith("auto-disabled: ").contains("401");
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).contains("model_not_available");
            assertThat(upstream.requests()).as("only the refused call of the first run").hasSize(1);
        }
    }

    @Test
    void aNewKeyInTheFileEnablesTheChannelAgain() throws Exception {
        disableByRefusedKey();

        try (GatewayHarness second = gateway("sk-refused-new-0012", upstream.baseUrl())) {
            assertThat(new StoreView(second).channelStatus("refused"))
                    .isEqualTo(new StoreView.ChannelStatus("active", null));
            assertThat(second.post("/v1/chat/completions", key("restarter"), CHAT).statusCode()).isEqualTo(200);
            assertThat(upstream.requests().get(1).header("Authorization")).isEqualTo("Bearer sk-refused-new-0012");
        }
    }

    @Test
    void aNewBaseUrlInTheFileEnablesTheChannelAgain() throws Exception {
        disableByRefusedKey();

        try (FakeOpenAi moved = FakeOpenAi.start();
             GatewayHarness second = gateway("sk-refused-old-0012", moved.baseUrl())) {
            assertThat(new StoreView(second).channelStatus("refused").status()).isEqualTo("active");
            assertThat(second.post("/v1/chat/completions", key("restarter"), CHAT).statusCode()).isEqualTo(200);
            assertThat(moved.requests()).hasSize(1);
        }
    }
}
