package dev.antler.openai;

import static dev.antler.testing.TestUsers.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.HttpResponse;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.FakeReply;
import dev.antler.testing.FormData;
import dev.antler.testing.GatewayHarness;
import dev.antler.testing.RawHttp;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.SdkClients;
import dev.antler.testing.Spool;
import dev.antler.testing.StoreView;
import dev.antler.testing.StoreView.UsageRow;
import dev.antler.testing.TestUsers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embeddings, images and audio: the SDK as client, uploads streamed through byte for byte, unit billing. */
class ImagesAudioRelayTest {

    private static final long OPENING = 10_000_000_000L;
    private static FakeOpenAi upstream;
    private static GatewayHarness gw;
    private static StoreView store;
    private static SdkClients sdk;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gw = GatewayHarness.start("""
                channels:
                  - name: media
                    base_url: "%s"
                    key: sk-upstream-media-0001
                    models: [text-embedding-3-small, dall-e-2, dall-e-3, gpt-image-1, tts-1, whisper-1, ideogram-v3]
                    model_mapping: { whisper-1: whisper-large-v3, gpt-image-1: gpt-image-1-2025-04-15 }
                prices: { ideogram-v3: { per_image: 0.07 } }
                users:
                %s""".formatted(upstream.baseUrl(), TestUsers.yaml("embedder", "painter", "speaker", "listener",
                "silent", "editor", "mapper", "alias", "dispatched")));
        store = new StoreView(gw);
        sdk = new SdkClients(gw);
    }

    @AfterAll
    static void stop() {
        sdk.close();
        gw.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @AfterEach
    void uploadsAreNotLeftBehind() {
        assertThat(Spool.files()).isEmpty();
    }

    @Test
    void embeddingsThroughTheSdk() {
        CreateEmbeddingResponse response = sdk.of("embedder").embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("The food was delicious and the waiter...").build());

        assertThat(response.data().get(0).embedding())
                .containsExactly(0.0023064255f, -0.009327292f, 0.015797347f, -0.0077780345f);
        assertThat(upstream.onlyRequest().path()).isEqualTo("/v1/embeddings");
        UsageRow row = store.onlyUsage("embedder");
        assertThat(row.endpoint()).isEqualTo("embeddings");
        assertThat(row.promptTokens()).isEqualTo(10);
        assertThat(row.costNanos()).isEqualTo(10 * 20);
    }

    @Test
    void imageGenerationThroughTheSdk() {
        ImagesResponse response = sdk.of("painter").images().generate(ImageGenerateParams.builder()
                .model("dall-e-3").prompt("A cute baby sea otter").n(2).build());

        assertThat(response.data().orElseThrow()).extracting(image -> image.url().orElseThrow())
                .hasSize(2).allSatisfy(url -> assertThat(url).startsWith("https://"));
        assertThat(upstream.onlyRequest().json().path("n").asInt()).isEqualTo(2);
        UsageRow row = store.onlyUsage("painter");
        assertThat(row.units()).isEqualTo(2);
        assertThat(row.costNanos()).isEqualTo(2 * 40_000_000L);
    }

    @Test
    void anImageModelAnOpenAiChannelNamesStaysWithThatChannel() {
        ImagesResponse response = sdk.of("dispatched").images().generate(ImageGenerateParams.builder()
                .model("ideogram-v3").prompt("A cute baby sea otter").build());

        assertThat(response.data().orElseThrow()).hasSize(1);
        assertThat(upstream.onlyRequest().path()).as("not the Ideogram family's /generate")
                .isEqualTo("/v1/images/generations");
        assertThat(upstream.onlyRequest().json().path("model").asString()).isEqualTo("ideogram-v3");
        assertThat(store.onlyUsage("dispatched").costNanos()).isEqualTo(70_000_000L);
    }

    @Test
    void speechBytesArriveUnchanged() throws IOException {
        byte[] audio;
        try (HttpResponse response = sdk.of("speaker").audio().speech().create(SpeechCreateParams.builder()
                .model("tts-1").input("Hello world").voice("alloy").build());
             InputStream body = response.body()) {
            assertThat(response.headers().values("Content-Type")).containsExactly("audio/mpeg");
            audio = body.readAllBytes();
        }

        assertThat(audio).isEqualTo(FakeOpenAi.SPEECH);
        UsageRow row = store.onlyUsage("speaker");
        assertThat(row.billedBasis()).isEqualTo("request");
        assertThat(row.promptTokens()).isEqualTo("Hello world".length());
        // tts-1: 15 USD per million characters
        assertThat(row.costNanos()).isEqualTo(11 * 15_000);
    }

    @Test
    void transcriptionUploadReachesTheUpstreamByteForByteWithTheMappedModel(@TempDir Path dir) throws IOException {
        byte[] recording = randomBytes(200_000, 7);
        Path file = Files.write(dir.resolve("speech.mp3"), recording);

        TranscriptionCreateResponse response = sdk.of("listener").audio().transcriptions().create(
                TranscriptionCreateParams.builder().file(file).model("whisper-1").build());

        assertThat(response.asTranscription().text()).startsWith("Imagine the wildest idea");
        ReceivedRequest sent = upstream.onlyRequest();
        assertThat(sent.path()).isEqualTo("/v1/audio/transcriptions");
        FormData form = sent.form();
        assertThat(form.part("file").orElseThrow().content()).isEqualTo(recording);
        assertThat(form.part("file").orElseThrow().filename()).isEqualTo("speech.mp3");
        assertThat(form.part("model").orElseThrow().text()).isEqualTo("whisper-large-v3");
        assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(sent.body().length));
        UsageRow row = store.onlyUsage("listener");
        assertThat(row.model()).isEqualTo("whisper-1");
        assertThat(row.upstreamModel()).isEqualTo("whisper-large-v3");
        assertThat(row.units()).isEqualTo(3);
        assertThat(row.billedBasis()).isEqualTo("reported");
        // whisper-1: 0.0001 USD per second
        assertThat(row.costNanos()).isEqualTo(3 * 100_000);
    }

    @Test
    void transcriptionWithoutUsageIsEstimatedFromTheUploadSize() {
        upstream.enqueue(FakeReply.ok().withoutUsage());
        FormData form = FormData.builder().field("model", "whisper-1")
                .file("file", "a.mp3", "audio/mpeg", randomBytes(10_000, 3)).build();

        java.net.http.HttpResponse<String> answer = RawHttp.postForm(gw, "/v1/audio/transcriptions", key("silent"),
                form);

        assertThat(answer.statusCode()).isEqualTo(200);
        UsageRow row = store.onlyUsage("silent");
        assertThat(row.billedBasis()).isEqualTo("estimated");
        assertThat(row.units()).isEqualTo(5);
        assertThat(row.costNanos()).isEqualTo(5 * 100_000);
    }

    @Test
    void largeImageEditIsSentUpstreamByteForByte() {
        FormData form = FormData.builder()
                .file("image", "otter.png", "image/png", randomBytes(5 * 1024 * 1024, 11))
                .field("prompt", "A sunlit indoor lounge area with a pool")
                .field("model", "dall-e-2")
                .field("n", "1")
                .build();

        java.net.http.HttpResponse<String> answer = RawHttp.postForm(gw, "/v1/images/edits", key("editor"), form);

        assertThat(answer.statusCode()).isEqualTo(200);
        ReceivedRequest sent = upstream.onlyRequest();
        byte[] expected = form.bytes();
        assertThat(sent.body()).isEqualTo(expected);
        assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
        assertThat(sent.header("Content-Type")).isEqualTo(form.contentType());
        UsageRow row = store.onlyUsage("editor");
        assertThat(row.endpoint()).isEqualTo("images.edits");
        assertThat(row.costNanos()).isEqualTo(20_000_000L);
        assertThat(store.balance("editor")).isEqualTo(OPENING - 20_000_000L);
    }

    @Test
    void imageEditWithAMappedModelRewritesOnlyTheModelPart() {
        byte[] image = randomBytes(5 * 1024 * 1024, 13);
        FormData form = FormData.builder()
                .field("model", "gpt-image-1")
                .file("image", "otter.png", "image/png", image)
                .field("prompt", "Add a hat")
                .build();

        java.net.http.HttpResponse<String> answer = RawHttp.postForm(gw, "/v1/images/edits", key("mapper"), form);

        assertThat(answer.statusCode()).isEqualTo(200);
        ReceivedRequest sent = upstream.onlyRequest();
        byte[] expected = FormData.builder()
                .field("model", "gpt-image-1-2025-04-15")
                .file("image", "otter.png", "image/png", image)
                .field("prompt", "Add a hat")
                .build().bytes();
        assertThat(sent.body()).isEqualTo(expected);
        assertThat(sent.header("Content-Length")).isEqualTo(Integer.toString(expected.length));
        UsageRow row = store.onlyUsage("mapper");
        assertThat(row.upstreamModel()).isEqualTo("gpt-image-1-2025-04-15");
        assertThat(row.billedBasis()).isEqualTo("reported");
        // gpt-image-1: 5.00 / 40.00 USD per Mtok, usage reported by the answer (10 in, 2 out)
        assertThat(row.costNanos()).isEqualTo(10 * 5_000 + 2 * 40_000);
    }

    @Test
    void editsAliasGoesToImageEdits() {
        FormData form = FormData.builder().field("model", "dall-e-2").field("prompt", "Add a hat")
                .file("image", "otter.png", "image/png", randomBytes(1000, 5)).build();

        java.net.http.HttpResponse<String> answer = RawHttp.postForm(gw, "/v1/edits", key("alias"), form);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(upstream.onlyRequest().path()).isEqualTo("/v1/images/edits");
        assertThat(store.onlyUsage("alias").costNanos()).isEqualTo(20_000_000L);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
