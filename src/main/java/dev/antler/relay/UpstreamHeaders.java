package dev.antler.relay;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The headers every upstream request starts from: the body's content type, identity encoding (the
 * taps read the bytes as they pass) and the client headers a family chooses to forward. Families add
 * their own auth header; the client's key is never among the forwarded headers.
 */
public final class UpstreamHeaders {

    private UpstreamHeaders() {}

    public static MultiMap base(HttpServerRequest client, String contentType, String... forwarded) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        headers.set("Accept-Encoding", "identity");
        for (String name : forwarded) {
            String value = client.getHeader(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        return headers;
    }
}
