package dev.antler.config;

import java.math.BigDecimal;

/** A user group: every price is multiplied by {@code multiplier} (default 1) for its members. */
public record GroupConfig(BigDecimal multiplier, String description) {}
