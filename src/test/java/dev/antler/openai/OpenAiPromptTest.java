package dev.antler.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.BillingConfig;
import dev.antler.testing.PdfFiles;
import dev.antler.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The prompt bound of OpenAI-format requests: text, images, audio, files and tool definitions all count. */
class OpenAiPromptTest {

    private static final BillingConfig DEFAULTS = BillingConfig.defaults();
    private static final String TEXT = """
            {"model":"gpt-4o","messages":[{"role":"system","content":"You are terse."},
            {"role":"user","content":"Describe the weather in Paris today, please."}]}""";

    private static long bound(String body, String model, BillingConfig billing, boolean tokenizer) {
        return OpenAiPrompt.tokens(body.getBytes(StandardCharsets.UTF_8), model, billing, tokenizer);
    }

    private static long bytesBound(String body) {
        return bound(body, "gpt-4o", DEFAULTS, false);
    }

    private static String withPart(String part) {
        return TEXT.replace("\"content\":\"Describe the weather in Paris today, please.\"",
                "\"content\":[{\"type\":\"text\",\"text\":\"Describe this.\"}," + part + "]");
    }

    @Test
    void theByteScanOfATextOnlyBodyIsNeverBelowTheWalk() {
        List<String> bodies = List.of(TEXT, "{}", "{\"model\":\"m\",\"input\":[\"a\",\"bb\",{\"x\":{}}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"漢字とかな\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}],"
                        + "\"max_tokens\":12345,\"temperature\":0.25}");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThat(OpenAiPrompt.tokens(bytes, "gpt-4o", DEFAULTS, false)).as(body)
                    .isGreaterThanOrEqualTo(OpenAiPrompt.walked(bytes, "gpt-4o", DEFAULTS, false));
        }
    }

    @Test
    void mediaSpelledWithEscapesIsStillWalkedAndCounted() {
        String escaped = withPart("{\"type\":\"image_url\",\"image\\u005furl\":{\"url\":\"https://x/a.png\"}}");
        assertThat(bytesBound(escaped)).isGreaterThanOrEqualTo(ImageTokens.worstCase("gpt-4o"));
    }

    @Test
    void textIsBoundedByItsBytesAndCountedByTheTokenizerNearTheLimit() {
        long bytes = bytesBound(TEXT);
        long counted = bound(TEXT, "gpt-4o", DEFAULTS, true);

        assertThat(bytes).isGreaterThan(TEXT.length() / 2);
        assertThat(counted).isLessThan(bytes / 2)
                .isGreaterThanOrEqualTo(TokenEstimator.count("You are terse. Describe the weather in Paris today, please."));
    }

    @Test
    void eachImageCountsAtTheModelsWorstCase() {
        String image = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}}";
        String oneImage = withPart(image);
        String twoImages = withPart(image + "," + image);

        long textOnly = bytesBound(withPart("{\"type\":\"text\",\"text\":\"\"}"));
        assertThat(bytesBound(oneImage)).isGreaterThanOrEqualTo(1600);
        assertThat(bytesBound(twoImages) - bytesBound(oneImage)).isGreaterThanOrEqualTo(1600);
        assertThat(bound(oneImage, "gpt-4o-mini", DEFAULTS, false)).isGreaterThan(48_169);
        assertThat(bound(oneImage, "gpt-4.1-nano", DEFAULTS, false)).isGreaterThan(3_779);
        assertThat(bytesBound(oneImage)).isGreaterThan(textOnly);
    }

    @Test
    void aConfiguredImageBoundReplacesTheDefault() {
        String oneImage = withPart("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + "A".repeat(40_000) + "\"}}");
        BillingConfig configured = new BillingConfig(null, null, null, null, null, null, null, null, 5_000L, null, null);

        long base64Skipped = bytesBound(oneImage);
        assertThat(base64Skipped).as("the base64 is not counted as text").isLessThan(2_000);
        assertThat(bound(oneImage, "gpt-4o", configured, false) - base64Skipped).isEqualTo(5_000 - 1600);
    }

    @Test
    void responsesImagesByUrlOrFileIdAndFilesByReference() {
        String input = """
                {"model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_text","text":"Compare."},
                {"type":"input_image","image_url":"https://example.com/a.png"},
                {"file_id":"file-abc","type":"input_image"},
                {"type":"input_file","file_id":"file-def"}]}]}""";

        assertThat(bytesBound(input)).isGreaterThanOrEqualTo(2 * 1600 + 100 * 3000);
    }

    @Test
    void audioCountsFromItsSize() {
        // 30,000 decoded bytes: 15 seconds at 2,000 bytes a second, 10 tokens a second.
        String audio = withPart("{\"type\":\"input_audio\",\"input_audio\":{\"data\":\""
                + Base64.getEncoder().encodeToString(new byte[30_000]) + "\",\"format\":\"wav\"}}");

        long bound = bytesBound(audio);
        assertThat(bound).isGreaterThanOrEqualTo(150).isLessThan(1_000);
    }

    @Test
    void pdfFilesCountPerPage() {
        String pdf = withPart("{\"type\":\"file\",\"file\":{\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64,"
                + Base64.getEncoder().encodeToString(PdfFiles.withPages(3)) + "\"}}");

        assertThat(bytesBound(pdf)).isGreaterThanOrEqualTo(3 * 3000).isLessThan(3 * 3000 + 1_000);
    }

    @Test
    void toolDefinitionsCount() {
        String tools = TEXT.replace("{\"model\":\"gpt-4o\",", """
                {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get_weather",
                "description":"The current weather in a city, with temperature, wind and a short forecast.",
                "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],""");

        assertThat(bound(tools, "gpt-4o", DEFAULTS, true) - bound(TEXT, "gpt-4o", DEFAULTS, true))
                .isGreaterThanOrEqualTo(TokenEstimator.count(
                        "get_weather The current weather in a city, with temperature, wind and a short forecast. city"));
    }

    @Test
    void schemaPropertiesNamedLikeMediaFieldsAreText() {
        String tools = TEXT.replace("{\"model\":\"gpt-4o\",", """
                {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"attach","parameters":{
                "type":"object","properties":{"type":{"type":"string"},"file_data":{"type":"string"},
                "file_id":{"type":["string","null"]},"input_audio":{"type":"string"}}}}}],""");

        assertThat(bytesBound(tools)).isGreaterThan(bytesBound(TEXT)).isLessThan(bytesBound(TEXT) + tools.length() * 2L);
    }
}
