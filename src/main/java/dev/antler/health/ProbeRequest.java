package dev.antler.health;

import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;

/**
 * The smallest real request that shows a channel works: its key is accepted and its account can pay.
 *
 * @param body the request body, or null for none (a GET)
 */
public record ProbeRequest(String method, String url, MultiMap headers, String body) {

    /** The {@code User-Agent} of every test request. */
    public static final String USER_AGENT = "antler-channel-test";

    /** The model a probe asks for: the first the channel lists, else {@code fallback}. */
    public static String model(Channel channel, String fallback) {
        return channel.models().isEmpty() ? fallback : channel.models().iterator().next();
    }
}
