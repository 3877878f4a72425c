package dev.antler.billing;

/**
 * A model's price, every component in nano-dollars; a null component is not charged. Token prices
 * are per million tokens.
 */
public record Price(Long inputPerMtok, Long outputPerMtok, Long cachedInputPerMtok, Long cacheWritePerMtok,
                    Long perImage, Long perCall, Long perSecond) {

    public static Price tokens(String inputUsd, String outputUsd) {
        return new Price(Usd.parse(inputUsd), Usd.parse(outputUsd), null, null, null, null, null);
    }

    public static Price tokens(String inputUsd, String outputUsd, String cachedInputUsd) {
        return new Price(Usd.parse(inputUsd), Usd.parse(outputUsd), Usd.parse(cachedInputUsd), null, null, null, null);
    }

    /** Token prices with a cache-read and a cache-write price (Anthropic's prompt caching). */
    public static Price tokens(String inputUsd, String outputUsd, String cachedInputUsd, String cacheWriteUsd) {
        return new Price(Usd.parse(inputUsd), Usd.parse(outputUsd), Usd.parse(cachedInputUsd), Usd.parse(cacheWriteUsd),
                null, null, null);
    }

    public static Price perImage(String usd) {
        return new Price(null, null, null, null, Usd.parse(usd), null, null);
    }

    public static Price perCall(String usd) {
        return new Price(null, null, null, null, null, Usd.parse(usd), null);
    }

    public static Price perSecond(String usd) {
        return new Price(null, null, null, null, null, null, Usd.parse(usd));
    }

    public boolean hasTokenPrice() {
        return inputPerMtok != null || outputPerMtok != null;
    }
}
