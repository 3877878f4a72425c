package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usd;
import dev.antler.testing.FormData;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A 10 MB image (Recraft's limit) uploaded in a form reaches Recraft byte for byte, sent from the gateway's
 * spool file with only the intended changes to the form: the model added, empty fields dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecraftUploadTest {

    private RecraftGateway recraft;

    @BeforeAll
    void start() throws Exception {
        recraft = new RecraftGateway("");
    }

    @AfterAll
    void stop() throws Exception {
        recraft.close();
    }

    @Test
    void aTenMegabyteImageIsRelayedWithIdenticalBytes() {
        byte[] image = new byte[(int) RecraftFields.MAX_IMAGE_BYTES];
        new Random(7).nextBytes(image);
        System.arraycopy(FakeRecraft.PNG, 0, image, 0, FakeRecraft.PNG.length);
        byte[] mask = new byte[300_000];
        new Random(8).nextBytes(mask);
        FormData form = FormData.builder().field("random_seed", "").file("image", "big.png", "image/png", image)
                .file("mask", "mask.png", "image/png", mask).field("prompt", "a larger fox")
                .field("model", "recraftv3_vector").field("n", "").build();

        long charged = recraft.charged(() -> {
            HttpResponse<String> response = recraft.post("/recraft/v1/images/inpaint", form);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        });

        assertThat(charged).isEqualTo(Usd.parse("0.08"));
        FakeRecraft.Seen seen = recraft.primary.last();
        assertThat(seen.form().parts()).extracting(FormData.Part::name).containsExactly("image", "mask", "prompt", "model");
        FormData.Part sent = seen.form().part("image").orElseThrow();
        assertThat(FakeRecraft.sha256(sent.content())).isEqualTo(FakeRecraft.sha256(image));
        assertThat(sent.filename()).isEqualTo("big.png");
        assertThat(sent.contentType()).isEqualTo("image/png");
        assertThat(seen.form().part("mask").orElseThrow().content()).isEqualTo(mask);
        assertThat(seen.field("model")).isEqualTo("recraftv3_vector");
        assertThat(seen.contentType()).as("the client's boundary is kept").isEqualTo(form.contentType());
    }
}
