package dev.antler.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.config.BillingConfig;
import dev.antler.json.Json;
import dev.antler.testing.PdfFiles;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The prompt bound of Messages requests: system, text, images, documents and tools all count. */
class AnthropicPromptTest {

    private static final BillingConfig DEFAULTS = BillingConfig.defaults();
    private static final String TEXT = """
            {"model":"claude-sonnet-4-5","max_tokens":10,"system":"You are terse.",
            "messages":[{"role":"user","content":[{"type":"text","text":"Describe this."}%s]}]%s}""";

    private static long bound(String body, BillingConfig billing, boolean tokenizer) {
        return AnthropicPrompt.tokens(Json.MAPPER.readTree(body), billing, tokenizer);
    }

    private static long bound(String extraBlocks) {
        return bound(TEXT.formatted(extraBlocks, ""), DEFAULTS, false);
    }

    @Test
    void eachImageCountsAtAnthropicsBoundAndItsBase64IsNotText() {
        String image = ",{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\""
                + "A".repeat(100_000) + "\"}}";

        assertThat(bound(image) - bound("")).isBetween(1600L, 1700L);
        assertThat(bound(image + image) - bound(image)).isBetween(1600L, 1700L);
        assertThat(bound(TEXT.formatted(image, ""), new BillingConfig(null, null, null, null, null, null, null, null, 3_000L, null, null), false)
                - bound(image)).isEqualTo(1400);
    }

    @Test
    void aModelServedThroughAnOpenAiFormatChannelHoldsThatModelsImageBound() {
        String image = ",{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}}";
        String forGpt = TEXT.formatted(image, "").replace("claude-sonnet-4-5", "gpt-4o-mini");

        assertThat(bound(forGpt, DEFAULTS, false) - bound(TEXT.formatted("", "").replace("claude-sonnet-4-5",
                "gpt-4o-mini"), DEFAULTS, false)).isGreaterThanOrEqualTo(48_169);
    }

    @Test
    void documentsCountPerPageOrAtTheMostPages() {
        String pdf = ",{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\""
                + Base64.getEncoder().encodeToString(PdfFiles.withPages(2)) + "\"}}";
        String byUrl = ",{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/a.pdf\"}}";

        assertThat(bound(pdf) - bound("")).isBetween(6_000L, 6_100L);
        assertThat(bound(byUrl) - bound("")).isGreaterThanOrEqualTo(300_000);
        assertThat(bound(TEXT.formatted(pdf, ""), new BillingConfig(null, null, null, null, null, null, null, null, null, 1_000L, null), false)
                - bound("")).isBetween(2_000L, 2_100L);
    }

    @Test
    void systemTextAndToolsCountAndTheTokenizerIsTighter() {
        String tools = ",\"tools\":[{\"name\":\"get_weather\",\"description\":\"The current weather in a city.\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
        String withTools = TEXT.formatted("", tools);
        String longSystem = TEXT.formatted("", "").replace("You are terse.", "You are terse. ".repeat(200));

        assertThat(bound(withTools, DEFAULTS, false) - bound("")).isGreaterThanOrEqualTo(tools.length() / 2);
        assertThat(bound(longSystem, DEFAULTS, false) - bound("")).isGreaterThanOrEqualTo(199 * 15);
        long counted = bound(longSystem, DEFAULTS, true);
        assertThat(counted).isLessThan(bound(longSystem, DEFAULTS, false) / 2).isGreaterThan(600);
    }
}
