package dev.antler.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Lists of names (models, groups) are stored as comma-separated text; names never contain commas. */
public final class Lists {

    private Lists() {}

    public static String join(Collection<String> values) {
        return String.join(",", values);
    }

    public static Set<String> split(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
