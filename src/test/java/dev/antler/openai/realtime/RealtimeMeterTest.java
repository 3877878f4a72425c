package dev.antler.openai.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Group;
import dev.antler.billing.Price;
import dev.antler.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class RealtimeMeterTest {

    private static final Map<String, Price> PRICES = RealtimePrices.table();
    private static final RealtimeMeter GPT_REALTIME = new RealtimeMeter(PRICES.get("gpt-realtime"),
            PRICES.get("gpt-realtime:audio"), Group.PPM);

    private static ObjectNode usage(String json) {
        return Json.objectOrNull(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cachedTokensAreSplitByTheirDetailsAndPricedAtTheCachedRates() {
        RealtimeMeter.Metered metered = GPT_REALTIME.meter(usage("""
                {"input_tokens":1000,"output_tokens":100,
                 "input_token_details":{"text_tokens":400,"audio_tokens":600,"cached_tokens":500,
                   "cached_tokens_details":{"text_tokens":100,"audio_tokens":400}},
                 "output_token_details":{"text_tokens":20,"audio_tokens":80}}"""));
        // text: 300 x 4.00 + 100 x 0.40 + 20 x 16.00; audio: 200 x 32.00 + 400 x 0.40 + 80 x 64.00 (USD per Mtok)
        assertThat(metered.costNanos()).isEqualTo(300 * 4_000L + 100 * 400L + 20 * 16_000L
                + 200 * 32_000L + 400 * 400L + 80 * 64_000L);
        assertThat(metered.usage().promptTokens()).isEqualTo(1000);
        assertThat(metered.usage().cachedTokens()).isEqualTo(500);
        assertThat(metered.usage().completionTokens()).isEqualTo(100);
    }

    @Test
    void aResponseWithoutUsageCostsNothingAndOddDetailsAreClamped() {
        assertThat(GPT_REALTIME.meter(usage("{}")).costNanos()).isZero();
        RealtimeMeter.Metered clamped = GPT_REALTIME.meter(usage("""
                {"input_token_details":{"text_tokens":10,"audio_tokens":0,"cached_tokens":50}}"""));
        assertThat(clamped.usage().cachedTokens()).isEqualTo(10);
        assertThat(clamped.costNanos()).isEqualTo(10 * 400L);
    }

    @Test
    void theHoldCoversAResponseAtTheDearerAudioRatesAndFollowsTheGroupMultiplier() {
        assertThat(GPT_REALTIME.holdAmount()).isEqualTo(8_192 * 32_000L + 4_096 * 64_000L);
        RealtimeMeter doubled = new RealtimeMeter(PRICES.get("gpt-realtime"), PRICES.get("gpt-realtime:audio"),
                2 * Group.PPM);
        assertThat(doubled.holdAmount()).isEqualTo(2 * GPT_REALTIME.holdAmount());
    }
}
