package dev.antler.anthropic;

import dev.antler.config.BillingConfig;
import dev.antler.openai.ImageTokens;
import dev.antler.tokens.PdfPages;
import dev.antler.tokens.PromptTally;
import tools.jackson.databind.JsonNode;

/**
 * The most input tokens a Messages request can cost: its text (system prompt, messages, tool uses and
 * results, tool definitions, every other string and name), each image at Anthropic's documented bound, each
 * PDF by its pages.
 */
final class AnthropicPrompt {

    /**
     * An image is resized to at most about 1.15 megapixels and costs width x height / 750 tokens: about 1600
     * at most, as Anthropic's vision guide says.
     */
    static final long IMAGE_TOKENS = 1600;
    /** o200k count scaled up by half: Claude's tokenizer splits text finer than o200k. */
    static final int TOKENIZER_MARGIN_PERCENT = 150;

    private final BillingConfig billing;
    private final long imageTokens;
    private final PromptTally tally;

    private AnthropicPrompt(String model, BillingConfig billing, boolean tokenizer) {
        this.billing = billing;
        this.imageTokens = billing.imagePromptTokens() != null ? billing.imagePromptTokens() : imageTokens(model);
        this.tally = new PromptTally(tokenizer);
    }

    /** The bound for {@code request}; {@code tokenizer} counts its text with o200k rather than by bytes. */
    static long tokens(JsonNode request, BillingConfig billing, boolean tokenizer) {
        AnthropicPrompt prompt = new AnthropicPrompt(request.path("model").asString(""), billing, tokenizer);
        prompt.walk(request);
        return prompt.tally.tokens(TOKENIZER_MARGIN_PERCENT);
    }

    /** Claude's bound; a model that is not Claude is served by an OpenAI-format channel and billed by its rules. */
    static long imageTokens(String model) {
        return model.startsWith("claude") ? IMAGE_TOKENS : Math.max(IMAGE_TOKENS, ImageTokens.worstCase(model));
    }

    private void walk(JsonNode node) {
        if (node.isString()) {
            tally.text(node.stringValue());
        } else if (node.isNumber()) {
            tally.text(node.asString());
        } else if (node.isArray()) {
            node.forEach(this::walk);
        } else if (node.isObject()) {
            tally.object();
            switch (node.path("type").asString("")) {
                case "image" -> tally.media(imageTokens);
                case "document" -> document(node.path("source"));
                default -> node.properties().forEach(field -> {
                    tally.text(field.getKey());
                    walk(field.getValue());
                });
            }
        }
    }

    /** A PDF by its pages; a text or content document by its text; one by URL or file id at the most pages. */
    private void document(JsonNode source) {
        switch (source.path("type").asString("")) {
            case "base64" -> tally.media(PdfPages.bound(source.path("data").asString("")) * billing.documentPageTokens());
            case "text", "content" -> walk(source);
            default -> tally.media(PdfPages.MAX * billing.documentPageTokens());
        }
    }
}
