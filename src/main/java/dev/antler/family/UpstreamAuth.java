package dev.antler.family;

import static java.util.Objects.requireNonNull;

import dev.antler.routing.Channel;

/**
 * How a channel type's key travels upstream: one header, its value the key after {@code prefix}. The
 * client's own key is never forwarded; the family's upstream code sets this header from the channel.
 *
 * @param name   the header name, e.g. {@code Authorization}
 * @param prefix what precedes the key in the value, e.g. {@code "Bearer "}; empty for the bare key
 */
public record UpstreamAuth(String name, String prefix) {

    public UpstreamAuth {
        requireNonNull(name, "name");
        requireNonNull(prefix, "prefix");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: " + name + " (expected: a header name)");
        }
    }

    /** {@code Authorization: Bearer <key>}. */
    public static UpstreamAuth bearer() {
        return new UpstreamAuth("Authorization", "Bearer ");
    }

    /** The bare key in header {@code name}, e.g. {@code x-api-key: <key>}. */
    public static UpstreamAuth header(String name) {
        return new UpstreamAuth(name, "");
    }

    /** The header value carrying {@code channel}'s key. */
    public String value(Channel channel) {
        return prefix + channel.apiKey();
    }
}
