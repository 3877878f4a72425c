package dev.antler.anthropic;

import dev.antler.billing.Price;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anthropic's list prices (USD), the defaults for Claude models (documented in the README; any can be
 * overridden): input, output, cache reads (0.1x input) and 5-minute cache writes (1.25x input), under
 * the dated model ids and their aliases.
 */
final class ClaudePrices {

    private ClaudePrices() {}

    static Map<String, Price> table() {
        Map<String, Price> t = new LinkedHashMap<>();
        Price opus41 = Price.tokens("15.00", "75.00", "1.50", "18.75");
        Price opus45 = Price.tokens("5.00", "25.00", "0.50", "6.25");
        Price sonnet = Price.tokens("3.00", "15.00", "0.30", "3.75");
        Price haiku45 = Price.tokens("1.00", "5.00", "0.10", "1.25");
        Price haiku35 = Price.tokens("0.80", "4.00", "0.08", "1.00");
        t.put("claude-opus-4-5-20251101", opus45);
        t.put("claude-opus-4-5", opus45);
        t.put("claude-opus-4-1-20250805", opus41);
        t.put("claude-opus-4-1", opus41);
        t.put("claude-opus-4-20250514", opus41);
        t.put("claude-opus-4-0", opus41);
        t.put("claude-sonnet-4-5-20250929", sonnet);
        t.put("claude-sonnet-4-5", sonnet);
        t.put("claude-sonnet-4-20250514", sonnet);
        t.put("claude-sonnet-4-0", sonnet);
        t.put("claude-3-7-sonnet-20250219", sonnet);
        t.put("claude-3-7-sonnet-latest", sonnet);
        t.put("claude-haiku-4-5-20251001", haiku45);
        t.put("claude-haiku-4-5", haiku45);
        t.put("claude-3-5-haiku-20241022", haiku35);
        t.put("claude-3-5-haiku-latest", haiku35);
        t.put("claude-3-haiku-20240307", Price.tokens("0.25", "1.25", "0.03", "0.30"));
        return t;
    }
}
