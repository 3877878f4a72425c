package dev.antler.relay;

import static java.util.Objects.requireNonNull;

/**
 * The client's request as a family adaptor sees it: plain values and the body as the relay read it,
 * no server types, so an operation is exercised without a server.
 *
 * @param method    the HTTP method, upper case ({@code POST})
 * @param scheme    {@code http} or {@code https}, as the client reached the gateway
 * @param authority the host (and port) the client addressed when the request line gave it (HTTP/2's
 *                  {@code :authority}); null when only the {@code Host} header says it, see {@link #host()}
 * @param path      the path, without the query
 * @param query     the query string as sent, without {@code ?}; null when there is none
 * @param headers   the request headers
 * @param body      the body as read for the operation's {@link Operation.BodyKind}
 */
public record ClientRequest(String method, String scheme, String authority, String path, String query,
                            Headers headers, RequestBody body) {

    public ClientRequest {
        requireNonNull(method, "method");
        requireNonNull(scheme, "scheme");
        requireNonNull(path, "path");
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
    }

    /** A {@code POST} of {@code body} to {@code path} over http, without a query: what tests build. */
    public static ClientRequest post(String path, Headers headers, RequestBody body) {
        return new ClientRequest("POST", "http", null, path, null, headers, body);
    }

    /**
     * This client's request as a {@code POST} of {@code json} to {@code path}: what a route that translates hands
     * another family's own operation (the headers and address stay the client's, for links and logs).
     */
    public ClientRequest postedAs(String path, byte[] json) {
        return new ClientRequest("POST", scheme, authority, path, null, headers, RequestBody.InMemory.rewritten(json));
    }

    /** The host (and port) the client addressed: the request's authority, else its {@code Host} header; may be null. */
    public String host() {
        return authority != null ? authority : headers.get("Host");
    }
}
