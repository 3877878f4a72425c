package dev.antler.relay;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Headers in a list, names matched ignoring case: what an upstream request is sent with (a handful, so a
 * linear search beats a hash map) and the plain {@link Headers} of tests.
 */
public final class HeaderList implements Headers {

    private final List<Map.Entry<String, String>> entries = new ArrayList<>(8);

    static HeaderList of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values: " + namesAndValues.length
                    + " strings (expected: pairs of a name and a value)");
        }
        HeaderList headers = new HeaderList();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /** Adds a value of {@code name} after those it has. */
    public HeaderList add(String name, String value) {
        entries.add(Map.entry(requireNonNull(name, "name"), requireNonNull(value, "value")));
        return this;
    }

    /** Replaces every value of {@code name} with {@code value}. */
    public HeaderList set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    public HeaderList remove(String name) {
        entries.removeIf(entry -> entry.getKey().equalsIgnoreCase(name));
        return this;
    }

    @Override
    public String get(String name) {
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                values.add(entry.getValue());
            }
        }
        return values;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return Collections.unmodifiableList(entries).iterator();
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        // names only: values may be keys
        List<String> names = new ArrayList<>(entries.size());
        entries.forEach(entry -> names.add(entry.getKey()));
        return "HeaderList" + names;
    }
}
