package dev.antler.openai.realtime;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import tools.jackson.databind.JsonNode;

/**
 * Prices a realtime response from its {@code response.done} usage: text tokens at the model's price, audio tokens
 * at its {@code :audio} price. Cached tokens are a subset of the input tokens; {@code cached_tokens_details} says
 * how many of them are text and audio, and without it the cached tokens count as text first.
 */
final class RealtimeMeter {

    /** A response's hold: what 8,192 input and 4,096 output tokens cost at the dearer of the two prices. */
    static final Usage HOLD_USAGE = Usage.tokens(8_192, 4_096);

    private final Price text;
    private final Price audio;
    private final long multiplierPpm;

    RealtimeMeter(Price text, Price audio, long multiplierPpm) {
        this.text = text;
        this.audio = audio;
        this.multiplierPpm = multiplierPpm;
    }

    long holdAmount() {
        return Math.max(CostCalculator.cost(text, HOLD_USAGE, multiplierPpm),
                CostCalculator.cost(audio, HOLD_USAGE, multiplierPpm));
    }

    /** One response's usage and cost. */
    record Metered(Usage usage, long costNanos) {}

    /** The usage and cost of {@code usage}, a {@code response.done} event's {@code response.usage}. */
    Metered meter(JsonNode usage) {
        JsonNode in = usage.path("input_token_details");
        JsonNode out = usage.path("output_token_details");
        long textIn = in.path("text_tokens").asLong(0);
        long audioIn = in.path("audio_tokens").asLong(0);
        long cached = in.path("cached_tokens").asLong(0);
        JsonNode cachedDetails = in.path("cached_tokens_details");
        long cachedText;
        long cachedAudio;
        if (cachedDetails.isObject()) {
            cachedText = Math.min(textIn, cachedDetails.path("text_tokens").asLong(0));
            cachedAudio = Math.min(audioIn, cachedDetails.path("audio_tokens").asLong(0));
        } else {
            cachedText = Math.min(textIn, cached);
            cachedAudio = Math.min(audioIn, cached - cachedText);
        }
        long textOut = out.path("text_tokens").asLong(0);
        long audioOut = out.path("audio_tokens").asLong(0);
        Usage textUsage = new Usage(textIn, textOut, cachedText, 0, 0, 0);
        Usage audioUsage = new Usage(audioIn, audioOut, cachedAudio, 0, 0, 0);
        long cost = Math.addExact(CostCalculator.cost(text, textUsage, multiplierPpm),
                CostCalculator.cost(audio, audioUsage, multiplierPpm));
        return new Metered(new Usage(textIn + audioIn, textOut + audioOut, cachedText + cachedAudio, 0, 0, 0), cost);
    }
}
