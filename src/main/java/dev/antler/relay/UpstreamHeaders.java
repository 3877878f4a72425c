package dev.antler.relay;

/**
 * The headers every upstream request starts from: the body's content type, identity encoding (the
 * taps read the bytes as they pass) and the client headers a family chooses to forward. Families add
 * their own auth header; the client's key is never among the forwarded headers.
 */
public final class UpstreamHeaders {

    private UpstreamHeaders() {}

    public static HeaderList base(Headers client, String contentType, String... forwarded) {
        HeaderList headers = new HeaderList();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        headers.add("Accept-Encoding", "identity");
        for (String name : forwarded) {
            String value = client.get(name);
            if (value != null) {
                headers.add(name, value);
            }
        }
        return headers;
    }
}
