package dev.antler.health;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import org.junit.jupiter.api.Test;

/** The schedule tests the channels the gateway disabled itself and re-enables those that pass. */
class ScheduledChannelTestTest {

    @Test
    void aChannelDisabledForItsKeyIsReEnabledOnceItsScheduledTestPasses() throws Exception {
        try (FakeOpenAi upstream = FakeOpenAi.start();
             GatewayHarness gw = GatewayHarness.start("""
                     health: { test_interval_seconds: 1 }
                     channels:
                       - { name: rotated, base_url: "%s", key: sk-rotated-0001, models: [gpt-4o-mini] }
                     users:
                     %s""".formatted(upstream.baseUrl(), TestUsers.yaml("waiting")))) {
            StoreView store = new StoreView(gw);
            upstream.enqueue(FakeReply.status(401));

            assertThat(gw.post("/v1/chat/completions", key("waiting"), """
                    {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""").statusCode())
                    .isEqualTo(502);

            // Disabled, then re-enabled by the next scheduled test (each second here).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && (upstream.requests().size() < 2
                    || !store.channelStatus("rotated").status().equals("active"))) {
                Thread.sleep(20);
            }
            assertThat(upstream.requests()).hasSize(2);
            assertThat(upstream.requests().get(1).json().path("max_tokens").asInt()).as("the test request")
                    .isEqualTo(1);
            assertThat(store.channelStatus("rotated")).isEqualTo(new StoreView.ChannelStatus("active", null));
            assertThat(gw.post("/v1/chat/completions", key("waiting"), """
                    {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""").statusCode())
                    .isEqualTo(200);
        }
    }
}
