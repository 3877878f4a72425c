package dev.antler.midjourney;

import dev.antler.routing.Channel;
import dev.antler.tasks.TaskUpstream;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Calls to a midjourney-proxy upstream, made from a blocking (virtual) thread under the channel's timeouts.
 * The channel's key goes in {@code mj-api-secret} and nowhere else.
 */
final class MjUpstream {

    private final TaskUpstream upstream;

    MjUpstream(TaskUpstream upstream) {
        this.upstream = upstream;
    }

    record Reply(int status, Buffer body, String contentType) {}

    Reply post(Channel channel, String path, Buffer json) {
        return call(channel, "POST", path, json.getBytes());
    }

    Reply get(Channel channel, String path) {
        return call(channel, "GET", path, null);
    }

    private Reply call(Channel channel, String method, String path, byte[] body) {
        TaskUpstream.Reply reply = upstream.call(channel, method, channel.url(path),
                Map.of(MidjourneyFamily.CHANNEL_TYPE.auth().name(), MidjourneyFamily.CHANNEL_TYPE.auth().value(channel)),
                body);
        return new Reply(reply.status(), Buffer.buffer(reply.body()), reply.contentType());
    }
}
