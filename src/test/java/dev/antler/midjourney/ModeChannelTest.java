package dev.antler.midjourney;

import static dev.antler.midjourney.MidjourneyFlowTest.ALICE;
import static dev.antler.midjourney.MidjourneyFlowTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.antler.billing.Usd;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A channel's models may name speed modes (mj, mj-fast, mj-relax, mj-turbo) besides actions. */
class ModeChannelTest {

    private FakeMidjourney fast;
    private FakeMidjourney relax;
    private GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        fast = new FakeMidjourney();
        relax = new FakeMidjourney();
        gw = GatewayHarness.start("""
                channels:
                  - { name: fast, type: midjourney, base_url: "%s", key: %s, models: [mj, mj-fast] }
                  - { name: relax, type: midjourney, base_url: "%s", key: %s, models: [mj-relax, mj_imagine] }
                users:
                  - { name: alice, balance: 10, keys: [{ key: %s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(fast.baseUrl(), FakeMidjourney.SECRET, relax.baseUrl(), FakeMidjourney.SECRET, ALICE));
    }

    @AfterEach
    void stop() {
        gw.close();
        fast.close();
        relax.close();
    }

    private JsonNode imagine(String prefix) {
        return json(gw.post(prefix + "/mj/submit/imagine", ALICE, "{\"prompt\":\"a fox\"}"));
    }

    @Test
    void eachModeGoesToTheChannelListingIt() {
        assertEquals(1, imagine("").path("code").asInt());
        assertEquals(1, imagine("/mj-fast").path("code").asInt());
        assertEquals(1, imagine("/mj-relax").path("code").asInt());
        assertEquals(List.of("POST /mj/submit/imagine", "POST /mj-fast/mj/submit/imagine"), fast.requests);
        assertEquals(List.of("POST /mj-relax/mj/submit/imagine"), relax.requests);

        gw.awaitLedger();
        assertEquals(Usd.parse("10") - Usd.parse("0.05") - Usd.parse("0.05") - Usd.parse("0.025"),
                new StoreView(gw).balance("alice"), "relax priced at its own price");
    }

    @Test
    void aModeOrActionNoChannelServesIsRefusedUnchargedAndUnsent() {
        HttpResponse<String> turbo = gw.post("/mj-turbo/mj/submit/imagine", ALICE, "{\"prompt\":\"a fox\"}");
        assertEquals(503, turbo.statusCode());
        assertTrue(turbo.body().contains("\"code\":9") && turbo.body().contains("under /mj-turbo"), turbo.body());

        // The relax channel names one action: a relax describe has nowhere to go.
        HttpResponse<String> describe = gw.post("/mj-relax/mj/submit/describe", ALICE,
                "{\"link\":\"https://example.com/fox.png\"}");
        assertEquals(503, describe.statusCode(), describe.body());
        assertTrue(describe.body().contains("mj_describe under /mj-relax"), describe.body());

        assertEquals(List.of(), fast.requests);
        assertEquals(List.of(), relax.requests);
        gw.awaitLedger();
        assertEquals(Usd.parse("10"), new StoreView(gw).balance("alice"));
    }
}
