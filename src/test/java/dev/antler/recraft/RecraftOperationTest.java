package dev.antler.recraft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.config.BillingConfig;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.ImageCountTap;
import dev.antler.relay.Intent;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.testing.FormData;
import dev.antler.testing.RequestBodies;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Recraft's JSON and form operations as plain functions: no server, no socket. */
class RecraftOperationTest {

    private static final String CLIENT_KEY = "sk-client-0123456789";
    private static final Headers CLIENT_HEADERS = Headers.of("Authorization", "Bearer " + CLIENT_KEY,
            "x-api-key", CLIENT_KEY, "User-Agent", "curl/8.5.0", "Accept", "application/json");
    private static final Channel CHANNEL = new Channel(4, "recraft", "recraft", "https://recraft.test/v1/",
            "recraft-upstream-key", Set.of(), Map.of("recraftv3", "recraftv3_raster"), 0, 1, Set.of("default"),
            Status.ACTIVE, null);
    private static final byte[] ANSWER = """
            {"created":1760000000,"credits":120,"data":[{"image_id":"a","url":"https://img.recraft.test/a.png"},
             {"image_id":"b","url":"https://img.recraft.test/b.png"},{"image_id":"c","url":"https://img.recraft.test/c.png"}]}"""
            .getBytes(UTF_8);

    @TempDir
    Path spool;

    private static void assertUpstreamAuth(UpstreamRequest upstream) {
        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.headers().getAll("Authorization")).containsExactly("Bearer recraft-upstream-key");
        assertThat(upstream.headers().contains("x-api-key")).isFalse();
        assertThat(upstream.headers().get("User-Agent")).isEqualTo("curl/8.5.0");
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
    }

    @Test
    void aJsonGenerationIsSentWithTheMappedModelAndHeldForTheImagesAskedFor() {
        JsonOperation generate = new JsonOperation(RecraftEndpoint.GENERATE, null);
        ClientRequest client = ClientRequest.post("/recraft/v1/images/generations", CLIENT_HEADERS,
                RequestBodies.json("{\"prompt\":\"a lighthouse\",\"model\":\"recraftv3\",\"n\":2}"));

        Intent<RecraftOperation.Call<JsonFields>> intent = generate.inspect(client);
        assertThat(intent.model()).isEqualTo("recraftv3");
        assertThat(intent.priceKey()).isEqualTo("recraft/recraftv3/raster");
        UpstreamRequest upstream = generate.upstreamRequest(intent, CHANNEL, client);

        assertThat(upstream.url()).isEqualTo("https://recraft.test/v1/images/generations");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo("application/json");
        assertUpstreamAuth(upstream);
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body()));
        assertThat(sent.path("model").asString()).isEqualTo("recraftv3_raster");
        assertThat(sent.path("prompt").asString()).isEqualTo("a lighthouse");

        Price price = Price.perImage("0.04");
        assertThat(generate.holdEstimate(intent, price, HoldBasis.cheap(BillingConfig.defaults())))
                .isEqualTo(CostCalculator.baseCost(price, Usage.images(2)));
        ResponseTap tap = generate.newTap(intent, CHANNEL);
        tap.onBytes(ANSWER, 0, 40);
        tap.onBytes(ANSWER, 40, ANSWER.length - 40);
        assertThat(tap.rewriter()).isNull();
        // three came back, two were asked for (and held): two are billed
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.images(2)));
    }

    @Test
    void aFormToolIsSentFromItsSpoolFileAsItCameAndBilledPerCall() {
        FormOperation vectorize = new FormOperation(RecraftEndpoint.VECTORIZE, null);
        FormData form = FormData.builder().file("image", "cat.png", "image/png", FakeRecraft.PNG)
                .field("svg_compression", "on").build();
        ClientRequest client = ClientRequest.post("/recraft/v1/images/vectorize", CLIENT_HEADERS,
                RequestBodies.spooled(spool, form));

        Intent<RecraftOperation.Call<FormFields>> intent = vectorize.inspect(client);
        assertThat(intent.model()).isEqualTo("recraft_vectorize");
        assertThat(intent.priceKey()).isEqualTo("recraft/vectorize");
        UpstreamRequest upstream = vectorize.upstreamRequest(intent, CHANNEL, client);

        assertThat(upstream.url()).isEqualTo("https://recraft.test/v1/images/vectorize");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo(form.contentType());
        assertUpstreamAuth(upstream);
        assertThat(upstream.body()).isInstanceOf(UpstreamRequest.FilePieces.class);
        assertThat(RequestBodies.bytes(upstream.body())).isEqualTo(form.bytes());

        ResponseTap tap = vectorize.newTap(intent, CHANNEL);
        byte[] answer = "{\"created\":1,\"credits\":10,\"image\":{\"url\":\"https://img.recraft.test/a.svg\"}}"
                .getBytes(UTF_8);
        tap.onBytes(answer, 0, answer.length);
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.fromRequest(Usage.images(1)));
    }

    @Test
    void anAnswerWithoutDataIsBilledForTheImagesAskedForAsAnEstimate() {
        JsonOperation edit = new JsonOperation(RecraftEndpoint.REPLACE_BACKGROUND, null);
        ClientRequest client = ClientRequest.post("/recraft/v1/images/replaceBackground", CLIENT_HEADERS,
                RequestBodies.json("{\"prompt\":\"a beach\",\"image_url\":\"https://a/b.png\",\"n\":4}"));
        Intent<RecraftOperation.Call<JsonFields>> intent = edit.inspect(client);
        assertThat(intent.priceKey()).isEqualTo("recraft/replaceBackground/recraftv3/raster");
        ResponseTap tap = edit.newTap(intent, CHANNEL);
        byte[] answer = "{\"created\":1}".getBytes(UTF_8);
        tap.onBytes(answer, 0, answer.length);
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.estimated(Usage.images(4)));
    }
}
