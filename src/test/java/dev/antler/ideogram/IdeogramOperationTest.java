package dev.antler.ideogram;

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

/** Ideogram's generate (JSON) and edit (form) operations as plain functions: no server, no socket. */
class IdeogramOperationTest {

    private static final String CLIENT_KEY = "sk-client-0123456789";
    private static final Headers CLIENT_HEADERS = Headers.of("Authorization", "Bearer " + CLIENT_KEY,
            "x-api-key", CLIENT_KEY, "User-Agent", "curl/8.5.0", "Accept", "application/json");
    private static final Channel CHANNEL = new Channel(3, "ideogram", "ideogram", "https://ideogram.test/",
            "ideogram-upstream-key", Set.of(), Map.of("V_2", "V_2A"), 0, 1, Set.of("default"), Status.ACTIVE, null);
    private static final byte[] ANSWER = """
            {"created":"2024-05-01T00:00:00Z","data":[{"url":"https://ideogram.test/a.png","prompt":"p"},
             {"url":"https://ideogram.test/b.png","prompt":"p"},{"url":"https://ideogram.test/c.png","prompt":"p"}]}"""
            .getBytes(UTF_8);

    @TempDir
    Path spool;

    private static void assertUpstreamAuth(UpstreamRequest upstream) {
        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.headers().getAll("Api-Key")).containsExactly("ideogram-upstream-key");
        assertThat(upstream.headers().contains("Authorization")).isFalse();
        assertThat(upstream.headers().contains("x-api-key")).isFalse();
        assertThat(upstream.headers().get("User-Agent")).isEqualTo("curl/8.5.0");
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
    }

    @Test
    void generateSendsTheImageRequestCleanedWithTheModelMappedAndBillsTheImagesAskedFor() {
        GenerateOperation generate = new GenerateOperation(null);
        ClientRequest client = ClientRequest.post("/ideogram/generate", CLIENT_HEADERS, RequestBodies.json("""
                {"image_request":{"prompt":"a lighthouse at dusk","model":"V_2","num_images":2,"style_type":""}}"""));

        Intent<IdeogramOperation.Call<GenerateOperation.Generate>> intent = generate.inspect(client);
        assertThat(intent.model()).isEqualTo("V_2");
        assertThat(intent.priceKey()).isEqualTo("ideogram/generate/V_2");
        assertThat(intent.details().mirrorBase()).isNull();
        UpstreamRequest upstream = generate.upstreamRequest(intent, CHANNEL, client);

        assertThat(upstream.url()).isEqualTo("https://ideogram.test/generate");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo("application/json");
        assertUpstreamAuth(upstream);
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body())).path("image_request");
        assertThat(sent.path("model").asString()).isEqualTo("V_2A");
        assertThat(sent.path("prompt").asString()).isEqualTo("a lighthouse at dusk");
        assertThat(sent.has("style_type")).isFalse();

        Price price = Price.perImage("0.08");
        assertThat(generate.holdEstimate(intent, price, HoldBasis.cheap(BillingConfig.defaults())))
                .isEqualTo(CostCalculator.baseCost(price, Usage.images(2)));
        ResponseTap tap = generate.newTap(intent, CHANNEL);
        tap.onBytes(ANSWER, 0, ANSWER.length);
        assertThat(tap.rewriter()).isNull();
        // three came back, two were asked for (and held): two are billed
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.images(2)));
    }

    @Test
    void editIsSentFromItsSpoolFileWithEmptyPartsDroppedAndTheMappedModelAdded() {
        FormOperation edit = new FormOperation(IdeogramEndpoint.EDIT, null);
        byte[] image = Form.png(false);
        byte[] mask = Form.png(true);
        FormData form = FormData.builder().file("image_file", "cat.png", "image/png", image)
                .file("mask", "mask.png", "image/png", mask).field("prompt", "a red hat").field("style_type", "")
                .field("num_images", "3").build();
        ClientRequest client = ClientRequest.post("/edit", CLIENT_HEADERS, RequestBodies.spooled(spool, form));

        Intent<IdeogramOperation.Call<FormOperation.Inspected>> intent = edit.inspect(client);
        assertThat(intent.model()).isEqualTo("V_2"); // the legacy default: no model was given
        assertThat(intent.priceKey()).isEqualTo("ideogram/edit/V_2");
        UpstreamRequest upstream = edit.upstreamRequest(intent, CHANNEL, client);

        assertThat(upstream.url()).isEqualTo("https://ideogram.test/edit");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo(form.contentType());
        assertUpstreamAuth(upstream);
        assertThat(upstream.body()).isInstanceOf(UpstreamRequest.FilePieces.class);
        FormData sent = FormData.parse(RequestBodies.bytes(upstream.body()), form.contentType());
        assertThat(sent.part("image_file").orElseThrow().content()).isEqualTo(image);
        assertThat(sent.part("mask").orElseThrow().content()).isEqualTo(mask);
        assertThat(sent.part("prompt").orElseThrow().text()).isEqualTo("a red hat");
        assertThat(sent.part("model").orElseThrow().text()).isEqualTo("V_2A");
        assertThat(sent.part("style_type")).isEmpty();

        ResponseTap tap = edit.newTap(intent, CHANNEL);
        tap.onBytes(ANSWER, 0, 50);
        tap.onBytes(ANSWER, 50, ANSWER.length - 50);
        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(Usage.images(3)));
    }
}
