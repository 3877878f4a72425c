package dev.antler.suno;

import static java.util.Objects.requireNonNull;

import dev.antler.family.UpstreamAuth;
import dev.antler.routing.Channel;
import dev.antler.tasks.TaskUpstream;
import java.util.Map;

/**
 * The task families' own calls to a Suno or Udio upstream (polls, single fetches), from a blocking thread under
 * the channel's timeouts. The channel's key goes in its type's auth header and nowhere else.
 */
final class SunoUpstream {

    private final TaskUpstream upstream;
    private final UpstreamAuth auth;

    SunoUpstream(TaskUpstream upstream, UpstreamAuth auth) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.auth = requireNonNull(auth, "auth");
    }

    TaskUpstream.Reply get(Channel channel, String path) {
        return upstream.call(channel, "GET", channel.url(path), Map.of(auth.name(), auth.value(channel)), null);
    }

    TaskUpstream.Reply post(Channel channel, String path, byte[] json) {
        return upstream.call(channel, "POST", channel.url(path), Map.of(auth.name(), auth.value(channel)), json);
    }
}
