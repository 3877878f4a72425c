package dev.antler.health;

import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;

/**
 * The smallest real request that shows a channel works: its key is accepted and its account can pay.
 *
 * @param body the request body, or null for none (a GET)
 * @param auxiliary whether the request is on an account route (credits, account, organization) rather than one the
 *     channel serves: a proxy or a scoped key may refuse it while the served routes work, so its refusal fails the
 *     test without disabling the channel
 */
public record ProbeRequest(String method, String url, MultiMap headers, String body, boolean auxiliary) {

    /** A probe on a route the channel serves: a refused key there disables the channel. */
    public ProbeRequest(String method, String url, MultiMap headers, String body) {
        this(method, url, headers, body, false);
    }

    /** A probe on an account route the channel does not serve. */
    public static ProbeRequest onAccountRoute(String method, String url, MultiMap headers, String body) {
        return new ProbeRequest(method, url, headers, body, true);
    }

    /** {@code method} and the URL's path, e.g. {@code GET /v1/credits}: no host, no query (which may hold a key). */
    public String route() {
        return method + " " + java.net.URI.create(url).getRawPath();
    }

    /** The {@code User-Agent} of every test request. */
    public static final String USER_AGENT = "antler-channel-test";

    /** The model a probe asks for: the first the channel lists, else {@code fallback}. */
    public static String model(Channel channel, String fallback) {
        return channel.models().isEmpty() ? fallback : channel.models().iterator().next();
    }
}
