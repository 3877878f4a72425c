package dev.antler.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.json.Json;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.StoreView;
import dev.antler.testing.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A version id names a model only through the operator's channels: listed as a model, or a model mapped to it. */
class ReplicateVersionsTest {

    private static final String LISTED = "c".repeat(64);

    private FakeReplicate upstream;
    private GatewayHarness gw;
    private StoreView store;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeReplicate();
        gw = GatewayHarness.start("""
                channels:
                  - { name: mapped, type: replicate, base_url: "%1$s", key: "%2$s", priority: 1,
                      models: ["stability-ai/sdxl", "black-forest-labs/flux-schnell"],
                      model_mapping: { "stability-ai/sdxl": "stability-ai/sdxl:%3$s" } }
                  - { name: listed, type: replicate, base_url: "%1$s", key: "%2$s", models: ["%4$s"] }
                prices:
                  "replicate/%4$s": { per_call: 0.02 }
                users:
                  - { name: alice, balance: 10, keys: [{ key: %5$s }] }
                tasks: { poll_interval_ms: 600000 }
                """.formatted(upstream.baseUrl(), FakeReplicate.KEY, FakeReplicate.SDXL_VERSION, LISTED,
                TestUsers.key("alice")));
        store = new StoreView(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
        upstream.close();
    }

    private HttpResponse<String> create(String path, String body) {
        return gw.post(path, TestUsers.key("alice"), body);
    }

    @Test
    void aVersionMappedToAModelRunsAsThatModelPinned() {
        HttpResponse<String> answer = create("/replicate/v1/predictions",
                "{\"version\":\"" + FakeReplicate.SDXL_VERSION + "\",\"input\":{\"prompt\":\"x\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode p = Json.MAPPER.readTree(answer.body());
        assertThat(p.path("model").asString()).isEqualTo("stability-ai/sdxl");
        assertThat(p.path("version").asString()).isEqualTo(FakeReplicate.SDXL_VERSION);
        assertThat(upstream.requests).containsExactly("POST /v1/predictions");
        assertThat(upstream.created.get(0).path("version").asString()).isEqualTo(FakeReplicate.SDXL_VERSION);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).containsExactly(-Billing.HELD_SECONDS * Usd.parse("0.000975"));
    }

    @Test
    void theChannelsMappingPinsTheModelsRoute() {
        HttpResponse<String> answer = create("/replicate/v1/models/stability-ai/sdxl/predictions",
                "{\"input\":{\"prompt\":\"x\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).path("version").asString()).isEqualTo("hidden");
        assertThat(upstream.requests).containsExactly("POST /v1/predictions");
        assertThat(upstream.created.get(0).path("version").asString()).isEqualTo(FakeReplicate.SDXL_VERSION);
    }

    @Test
    void anOwnerNameVersionGoesToTheModelsRoute() {
        HttpResponse<String> answer = create("/replicate/v1/predictions",
                "{\"version\":\"black-forest-labs/flux-schnell\",\"input\":{\"prompt\":\"x\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(upstream.requests).containsExactly("POST /v1/models/black-forest-labs/flux-schnell/predictions");
        assertThat(upstream.created.get(0).has("version")).isFalse();
    }

    @Test
    void aListedVersionIsAModelOfItsOwnServedOnlyByItsChannelAtItsPrice() {
        HttpResponse<String> answer = create("/replicate/v1/predictions",
                "{\"version\":\"" + LISTED + "\",\"input\":{\"prompt\":\"x\"}}");
        // The fake knows no such version: it answers 404, which the client gets in Replicate's words, uncharged.
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(upstream.created.get(0).path("version").asString()).isEqualTo(LISTED);
        gw.awaitLedger();
        assertThat(store.ledger("alice", "charge")).isEmpty();
        assertThat(store.usage("alice").get(0).channelId()).isEqualTo(store.channelId("listed"));
    }

    @Test
    void aModelNoChannelServesIsNotFound() {
        HttpResponse<String> answer = create("/replicate/v1/models/black-forest-labs/flux-1.1-pro/predictions",
                "{\"input\":{\"prompt\":\"x\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(answer.body()).path("title").asString()).isEqualTo("Not found");
        assertThat(upstream.requests).isEmpty();
    }
}
