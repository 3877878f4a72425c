package dev.antler.billing;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The effective price table: the built-in defaults (the families' list prices) overlaid by the operator's
 * prices. An immutable map replaced whole on change, so hot-path lookups take no lock.
 */
public final class PriceBook {

    /** A dated snapshot name such as {@code gpt-4o-mini-2024-07-18} falls back to its base model. */
    private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$|-\\d{4}$");

    private final Map<String, Price> defaults;
    private volatile Map<String, Price> effective;

    /** @param defaults the built-in prices by model or price key, used where the operator sets none */
    public PriceBook(Map<String, Price> defaults) {
        this.defaults = Map.copyOf(requireNonNull(defaults, "defaults"));
        this.effective = this.defaults;
    }

    public void replaceOverrides(Map<String, Price> overrides) {
        Map<String, Price> merged = new LinkedHashMap<>(defaults);
        merged.putAll(overrides);
        effective = Map.copyOf(merged);
    }

    /** The built-in prices, without the operator's. */
    public Map<String, Price> defaults() {
        return defaults;
    }

    public Optional<Price> find(String model) {
        Price price = effective.get(model);
        if (price == null) {
            String base = DATE_SUFFIX.matcher(model).replaceFirst("");
            if (!base.equals(model)) {
                price = effective.get(base);
            }
        }
        return Optional.ofNullable(price);
    }

    public Map<String, Price> all() {
        return effective;
    }
}
