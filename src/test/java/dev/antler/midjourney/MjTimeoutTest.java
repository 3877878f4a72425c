package dev.antler.midjourney;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Midjourney channel's own timeouts bound a submit: an upstream that stalls fails the submit after the
 * channel's {@code total_timeout_ms}, in midjourney-proxy's envelope, with nothing charged. A stalled submit
 * was sent, so the upstream may have taken it: it is not sent to another channel.
 */
class MjTimeoutTest {

    private static final String ALICE = MidjourneyFlowTest.ALICE;
    private static final long TOTAL_MS = 300;

    private FakeMidjourney stalling;
    private FakeMidjourney spare;
    private GatewayHarness gw;
    private StoreView store;

    @AfterEach
    void stop() {
        gw.close();
        stalling.close();
        if (spare != null) {
            spare.close();
        }
    }

    private void start(boolean withSpare) throws Exception {
        stalling = new FakeMidjourney();
        stalling.stall();
        String spareChannel = "";
        if (withSpare) {
            spare = new FakeMidjourney();
            spareChannel = "  - { name: spare, type: midjourney, base_url: \"%s\", key: %s, priority: 0 }\n"
                    .formatted(spare.baseUrl(), FakeMidjourney.SECRET);
        }
        gw = GatewayHarness.start("""
                channels:
                  - { name: slow, type: midjourney, base_url: "%s", key: %s, priority: 10, total_timeout_ms: %d }
                %susers:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(stalling.baseUrl(), FakeMidjourney.SECRET, TOTAL_MS, spareChannel, ALICE));
        store = new StoreView(gw);
    }

    /** The submit, failed with a timeout in the MJ envelope after about the channel's total timeout. */
    private HttpResponse<String> timedOutSubmit() {
        long started = System.nanoTime();
        HttpResponse<String> failed = gw.post("/mj/submit/imagine", ALICE, "{\"prompt\":\"a slow fox\"}");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(504);
        JsonNode body = Json.MAPPER.readTree(failed.body());
        assertThat(body.path("code").asInt()).isEqualTo(9);
        assertThat(body.path("type").asString()).isEqualTo("upstream_timeout");
        assertThat(body.path("description").asString()).isEqualTo("the upstream did not answer in time");
        assertThat(tookMs).as("answered after the channel's total timeout, not the default 600 s")
                .isBetween(TOTAL_MS - 20, TOTAL_MS * 10);
        return failed;
    }

    /** @param endReason {@code error} when no answer came, {@code timeout} when its head came and its body did not */
    private void assertNothingCharged(String endReason) {
        UsageRow row = store.onlyUsage("alice");
        assertThat(row.statusCode()).isEqualTo(504);
        assertThat(row.costNanos()).isZero();
        assertThat(row.endReason()).isEqualTo(endReason);
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(Usd.parse("10"));
        assertThat(gw.gateway().tasks().store().list(null, null, null, 10, 0)).as("no task").isEmpty();
    }

    @Test
    void anUpstreamThatNeverAnswersFailsTheSubmitAtTheChannelsTotalTimeout() throws Exception {
        start(false);
        timedOutSubmit();
        assertNothingCharged("error");
        assertThat(store.onlyUsage("alice").error()).isEqualTo("the upstream did not answer in time");
    }

    @Test
    void anAnswerThatStopsAfterItsHeadFailsTheSubmitAtTheChannelsTotalTimeout() throws Exception {
        start(false);
        stalling.stallAfterHead = true;
        timedOutSubmit();
        assertNothingCharged("timeout");
    }

    @Test
    void aStalledSubmitIsNotSentToAnotherChannel() throws Exception {
        start(true);
        timedOutSubmit();
        assertThat(stalling.submits).hasSize(1);
        assertThat(spare.submits).as("the stalled upstream may have taken the work").isEmpty();
        assertNothingCharged("error");
        assertThat(store.onlyUsage("alice").attempts()).isEqualTo(1);
    }
}
