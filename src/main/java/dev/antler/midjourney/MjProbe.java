package dev.antler.midjourney;

import dev.antler.family.UpstreamAuth;
import dev.antler.health.ProbeRequest;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;

/** The test request of {@code midjourney} channels. */
final class MjProbe {

    private MjProbe() {}

    /**
     * midjourney-proxy's task query for no ids: free, submits nothing, and answers 401 when the
     * {@code mj-api-secret} is wrong. (Whether the Discord account behind it can draw shows only on a
     * submit, which would cost a generation.)
     */
    static ProbeRequest request(Channel channel) {
        UpstreamAuth auth = MidjourneyFamily.CHANNEL_TYPE.auth();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(auth.name(), auth.value(channel))
                .set("Content-Type", "application/json")
                .set("User-Agent", ProbeRequest.USER_AGENT);
        return new ProbeRequest("POST", channel.url("/mj/task/list-by-condition"), headers, "{\"ids\":[]}");
    }
}
