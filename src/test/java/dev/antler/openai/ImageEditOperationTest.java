package dev.antler.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.config.BillingConfig;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
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

/** An image edit on a spooled upload, with no server: sent from its file, only the model part rewritten. */
class ImageEditOperationTest {

    private static final String CLIENT_KEY = "sk-client-0123456789";
    private static final Channel CHANNEL = new Channel(2, "images", "openai", "http://upstream.test", "sk-upstream-key",
            Set.of(), Map.of("dall-e-2", "dall-e-2-eu"), 0, 1, Set.of("default"), Status.ACTIVE, null);

    @TempDir
    Path spool;

    private final MultipartOperation edits = new MultipartOperation(OpenAiEndpoint.IMAGE_EDITS);

    private ClientRequest request(FormData form) {
        RequestBody.Spooled body = RequestBodies.spooled(spool, form);
        return ClientRequest.post("/v1/images/edits", Headers.of("Authorization", "Bearer " + CLIENT_KEY,
                "Content-Type", body.contentType(), "User-Agent", "curl/8.5.0"), body);
    }

    @Test
    void theUploadIsSentFromItsSpoolFileWithTheModelMappedAndTheChannelsKey() {
        byte[] image = new byte[200_000];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i * 31);
        }
        FormData form = FormData.builder().field("model", "dall-e-2").field("prompt", "a red hat").field("n", "2")
                .file("image", "cat.png", "image/png", image).build();
        ClientRequest client = request(form);

        Intent<OpenAiRequest> intent = edits.inspect(client);
        assertThat(intent.model()).isEqualTo("dall-e-2");
        assertThat(intent.details().count()).isEqualTo(2);
        UpstreamRequest upstream = edits.upstreamRequest(intent, CHANNEL, client);

        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.url()).isEqualTo("http://upstream.test/v1/images/edits");
        assertThat(upstream.headers().get("Authorization")).isEqualTo("Bearer sk-upstream-key");
        assertThat(upstream.headers().get("Content-Type")).isEqualTo(form.contentType());
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
        assertThat(upstream.body()).isInstanceOf(UpstreamRequest.FilePieces.class);
        assertThat(((UpstreamRequest.FilePieces) upstream.body()).file())
                .isEqualTo(((RequestBody.Spooled) client.body()).file());
        FormData sent = FormData.parse(RequestBodies.bytes(upstream.body()), upstream.headers().get("Content-Type"));
        assertThat(sent.part("model").orElseThrow().text()).isEqualTo("dall-e-2-eu");
        assertThat(sent.part("prompt").orElseThrow().text()).isEqualTo("a red hat");
        assertThat(sent.part("image").orElseThrow().content()).isEqualTo(image);
        assertThat(upstream.body().length()).isEqualTo(RequestBodies.bytes(upstream.body()).length);
    }

    @Test
    void theHoldIsTheImagesAskedForAndTheTapBillsTheImagesReturned() {
        FormData form = FormData.builder().field("prompt", "a red hat").field("n", "3")
                .file("image", "cat.png", "image/png", new byte[] {1, 2, 3}).build();
        Intent<OpenAiRequest> intent = edits.inspect(request(form));
        assertThat(intent.model()).isEqualTo("dall-e-2"); // the API's default model
        Price price = Price.perImage("0.02");

        assertThat(edits.holdEstimate(intent, price, HoldBasis.cheap(BillingConfig.defaults())))
                .isEqualTo(CostCalculator.baseCost(price, new Usage(0, 0, 0, 0, 3, 0)));
        ResponseTap tap = edits.newTap(intent, CHANNEL);
        byte[] answer = """
                {"created":1713833628,"data":[{"url":"https://files.test/1.png"},{"url":"https://files.test/2.png"}]}"""
                .getBytes(UTF_8);
        tap.onBytes(answer, 0, 40);
        tap.onBytes(answer, 40, answer.length - 40);

        assertThat(tap.meter()).isEqualTo(ResponseTap.Metered.reported(new Usage(0, 0, 0, 0, 2, 0)));
    }
}
