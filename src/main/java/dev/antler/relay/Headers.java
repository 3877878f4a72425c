package dev.antler.relay;

import java.util.List;
import java.util.Map;

/**
 * Read-only HTTP headers whose names match ignoring case: a client's request headers as the family
 * adaptors see them, or the headers of an upstream request. Iteration gives each name and value in order.
 */
public interface Headers extends Iterable<Map.Entry<String, String>> {

    /** The first value of {@code name}, or null when there is none. */
    String get(String name);

    /** Every value of {@code name} in order; empty when there is none. */
    List<String> getAll(String name);

    default boolean contains(String name) {
        return get(name) != null;
    }

    /** Headers of the given names and values, in pairs: {@code of("Accept", "application/json", "User-Agent", "x")}. */
    static Headers of(String... namesAndValues) {
        return HeaderList.of(namesAndValues);
    }
}
