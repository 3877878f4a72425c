package dev.antler.http;

import static java.util.Objects.requireNonNull;

import dev.antler.relay.Headers;
import io.vertx.core.MultiMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Vert.x headers seen as {@link Headers}: a view, not a copy (one is made for every relayed request). */
public final class MultiMapHeaders implements Headers {

    private final MultiMap headers;

    public MultiMapHeaders(MultiMap headers) {
        this.headers = requireNonNull(headers, "headers");
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return headers.getAll(name);
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(name);
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        Iterator<Map.Entry<String, String>> entries = headers.iterator();
        return new Iterator<>() { // read-only: the entries of a MultiMap would write through

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
                Map.Entry<String, String> entry = entries.next();
                return Map.entry(entry.getKey(), entry.getValue());
            }
        };
    }

    @Override
    public String toString() {
        return "MultiMapHeaders" + headers.names(); // names only: values may be keys
    }
}
