package dev.antler.flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.security.BaseUrlGuard;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The submit as a function, the polling URL chosen, the signature: no server. */
class FluxSubmitTest {

    private static final Headers CLIENT = Headers.of("x-key", "sk-client-key-1", "Content-Type", "application/json",
            "Host", "gw.example.test");
    private final FluxSubmit submit = new FluxSubmit(null);

    static Channel channel(String baseUrl) {
        return new Channel(4, "bfl-a", "flux", baseUrl, "bfl-channel-key", Set.of(), Map.of(), 0, 1,
                Set.of("default"), dev.antler.accounts.Status.ACTIVE, null);
    }

    private static ClientRequest post(String model, String json) {
        return ClientRequest.post("/flux/v1/" + model, CLIENT, RequestBodies.json(json));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSubmitGoesUpstreamWithTheChannelsKeyAndWithoutTheClientsWebhook() {
        ClientRequest client = post("flux-2-pro", "{\"prompt\":\"a heron\",\"webhook_url\":\"https://me.test/h\","
                + "\"webhook_secret\":\"s3\",\"input_image\":\"https://img.test/a.png\",\"input_image_8\":\"aGk=\"}");
        Intent<FluxRequest> intent = submit.inspect(client);
        assertThat(intent.model()).isEqualTo("flux-2-pro");
        assertThat(intent.priceKey()).isEqualTo("flux/flux-2-pro");
        assertThat(submit.holdEstimate(intent, Price.perImage("0.03"), null)).isEqualTo(Usd.parse("0.03"));

        UpstreamRequest out = submit.upstreamRequest(intent, channel(FluxFamily.DEFAULT_BASE_URL), client);
        assertThat(out.url()).isEqualTo("https://api.bfl.ai/v1/flux-2-pro");
        assertThat(out.headers().get("x-key")).isEqualTo("bfl-channel-key");
        assertThat(out.headers().toString()).doesNotContain("sk-client-key-1");
        JsonNode body = Json.MAPPER.readTree(((UpstreamRequest.Bytes) out.body()).bytes());
        assertThat(body.has("webhook_url") || body.has("webhook_secret")).isFalse();
        assertThat(body.path("input_image_8").asString()).isEqualTo("aGk=");

        var draft = submit.draft(intent, SubmitReply.Accepted.of("up-1", TaskStatus.SUBMITTED,
                bytes("{\"id\":\"up-1\",\"polling_url\":\"https://api.eu2.bfl.ai/v1/get_result?id=up-1\"}")));
        assertThat(draft.notifyHook()).isEqualTo("https://me.test/h");
        JsonNode facts = Json.MAPPER.readTree(draft.request());
        assertThat(facts.path("polling_url").asString()).isEqualTo("https://api.eu2.bfl.ai/v1/get_result?id=up-1");
        assertThat(facts.path("webhook_secret").asString()).isEqualTo("s3");
        assertThat(facts.path("base").asString()).isEqualTo("http://gw.example.test");
        assertThat(facts.path("result_token").asString()).hasSize(32);
    }

    @Test
    void bflsAnswersAreReadAsBflWritesThem() {
        Intent<FluxRequest> intent = submit.inspect(post("flux-dev", "{\"prompt\":\"x\"}"));
        Channel channel = channel(FluxFamily.DEFAULT_BASE_URL);
        assertThat(submit.read(intent, channel, 200, bytes("{\"id\":\"up-2\",\"polling_url\":\"https://api.us1.bfl.ai/"
                + "v1/get_result?id=up-2\",\"cost\":2.5}"))).isInstanceOfSatisfying(SubmitReply.Accepted.class,
                a -> assertThat(a.upstreamId()).isEqualTo("up-2"));
        assertThat(submit.read(intent, channel, 422, bytes("{\"detail\":[{\"loc\":[\"body\",\"seed\"],\"msg\":\"bad\"}]}")))
                .isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(422);
                    assertThat(new String(r.answer(), StandardCharsets.UTF_8))
                            .isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"seed\"],\"msg\":\"bad\"}]}");
                });
        assertThat(submit.read(intent, channel, 402, bytes("{\"detail\":\"Insufficient credits\"}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isTrue();
                    assertThat(f.error().status()).isEqualTo(503);
                });
        assertThat(submit.read(intent, channel, 422, bytes("{\"detail\":\"Invalid API key format\"}")))
                .as("a key refused is the channel's fault, not the client's")
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isTrue());
        assertThat(submit.read(intent, channel, 429, bytes("{\"detail\":\"busy\"}")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> {
                    assertThat(f.tryElsewhere()).isTrue();
                    assertThat(f.error().status()).isEqualTo(429);
                });
        assertThat(submit.read(intent, channel, 500, bytes("oops")))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isFalse());
    }

    @Test
    void theWebhookIsGivenToTheChainToCheckAndARefusalNamesTheField() {
        Intent<FluxRequest> intent = submit.inspect(post("flux-2-pro", "{\"prompt\":\"x\",\"webhook_url\":"
                + "\"http://192.168.1.10/hook\"}"));
        assertThat(submit.webhook(intent)).isEqualTo("http://192.168.1.10/hook");
        String expected = new BaseUrlGuard(false).refusal(submit.webhook(intent)).orElseThrow();
        assertThat(submit.webhookRefused(submit.webhook(intent), expected)).isInstanceOf(GatewayException.class)
                .hasMessageStartingWith("webhook_url: http://192.168.1.10/hook (expected: a public address");
    }

    @Test
    void theRegionalPollingUrlIsPolledOnlyOnTheChannelsOwnDomain() {
        Channel bfl = channel("https://api.bfl.ai");
        assertThat(FluxPolling.url(bfl, "https://api.eu2.bfl.ai/v1/get_result?id=a", "a"))
                .isEqualTo("https://api.eu2.bfl.ai/v1/get_result?id=a");
        assertThat(FluxPolling.url(bfl, "https://api.bfl.ai/v1/get_result?id=a", "a"))
                .isEqualTo("https://api.bfl.ai/v1/get_result?id=a");
        for (String elsewhere : new String[] {"https://evil.test/v1/get_result?id=a", "https://bfl.ai.evil.test/x",
                "https://evilbfl.ai/x", "ftp://api.eu2.bfl.ai/x", "https://user@api.eu2.bfl.ai/x", "not a url"}) {
            assertThat(FluxPolling.url(bfl, elsewhere, "a b")).as(elsewhere)
                    .isEqualTo("https://api.bfl.ai/v1/get_result?id=a+b");
        }
        assertThat(FluxPolling.url(bfl, null, "a")).isEqualTo("https://api.bfl.ai/v1/get_result?id=a");
        Channel relay = channel("https://api.relay.test/flux");
        assertThat(FluxPolling.url(relay, "https://api.eu2.bfl.ai/v1/get_result?id=a", "a"))
                .as("a relay passing on BFL's URL is asked itself").isEqualTo("https://api.relay.test/flux/v1/get_result?id=a");
        Channel address = channel("http://127.0.0.1:9000");
        assertThat(FluxPolling.url(address, "http://127.0.0.1:9001/eu2/v1/get_result?id=a", "a"))
                .isEqualTo("http://127.0.0.1:9001/eu2/v1/get_result?id=a");
        assertThat(FluxPolling.url(address, "http://127.0.0.2/v1/get_result?id=a", "a"))
                .isEqualTo("http://127.0.0.1:9000/v1/get_result?id=a");
    }

    @Test
    void theSignatureIsBflsHmacSha256OfTheRawBody() {
        // The well-known HMAC-SHA256 vector: key "key", message "The quick brown fox jumps over the lazy dog".
        assertThat(FluxSignature.of("key", bytes("The quick brown fox jumps over the lazy dog")))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
