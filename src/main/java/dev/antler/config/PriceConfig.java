package dev.antler.config;

import java.math.BigDecimal;

/** A model's price in USD; every component is optional. */
public record PriceConfig(
        BigDecimal inputPerMtok,
        BigDecimal outputPerMtok,
        BigDecimal cachedInputPerMtok,
        BigDecimal cacheWritePerMtok,
        BigDecimal perImage,
        BigDecimal perCall,
        BigDecimal perSecond) {}
