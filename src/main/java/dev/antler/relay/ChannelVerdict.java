package dev.antler.relay;

import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/** What an upstream's error answer says about the channel: disabled, resting, failing, or fine. */
final class ChannelVerdict {

    private static final int MAX_BODY = 64 * 1024;

    private ChannelVerdict() {}

    /**
     * Judges {@code channel} by its error answer to a request on {@code route} (the gateway's, e.g. {@code POST
     * /v1/messages}, named in a disabling reason). A refused key or account on an {@code auxiliary} route proves
     * nothing about the routes the channel serves: it neither disables the channel nor counts against it.
     */
    static void onErrorAnswer(ChannelHealth health, Channel channel, String route, boolean auxiliary, int status,
                              String retryAfterHeader, Buffer body, long nowMillis) {
        String text = body == null ? null
                : body.getString(0, Math.min(body.length(), MAX_BODY), StandardCharsets.UTF_8.name());
        String disable = ChannelFaults.disablingReason(status, text);
        OptionalLong retryAfter = RetryAfter.delayMillis(retryAfterHeader, nowMillis);
        if (disable != null && auxiliary) {
            health.onAbandoned(channel);
        } else if (disable != null) {
            health.onAbandoned(channel);
            health.disable(channel, disable + " on " + route);
        } else if ((status == 429 || status == 503) && retryAfter.isPresent()) {
            health.onAbandoned(channel);
            health.coolDown(channel, retryAfter.getAsLong());
        } else if (UpstreamFailures.isRetryable(status)) {
            health.onFailure(channel);
        } else {
            // 400, 404, 422 ...: the request's fault; the channel answered properly.
            health.onSuccess(channel);
        }
    }
}
