package dev.antler.routing;

import dev.antler.accounts.Status;
import java.util.Map;
import java.util.Set;

/**
 * An upstream channel: a provider base URL and key, the models it serves and the groups it serves
 * them to. {@code apiKey} is a secret: it is sent upstream and nowhere else (see {@link #toString()}).
 *
 * @param models   empty means every model of the channel's family
 * @param timeouts how long to wait on this channel
 */
public record Channel(long id, String name, String type, String baseUrl, String apiKey, Set<String> models,
                      Map<String, String> modelMapping, int priority, int weight, Set<String> groups,
                      Status status, String statusReason, ChannelTimeouts timeouts) {

    public Channel {
        timeouts = timeouts == null ? ChannelTimeouts.DEFAULTS : timeouts;
    }

    /** A channel with the default timeouts. */
    public Channel(long id, String name, String type, String baseUrl, String apiKey, Set<String> models,
                   Map<String, String> modelMapping, int priority, int weight, Set<String> groups,
                   Status status, String statusReason) {
        this(id, name, type, baseUrl, apiKey, models, modelMapping, priority, weight, groups, status, statusReason,
                ChannelTimeouts.DEFAULTS);
    }

    /** This channel with {@code status} and {@code reason}. */
    public Channel withStatus(Status status, String reason) {
        return new Channel(id, name, type, baseUrl, apiKey, models, modelMapping, priority, weight, groups, status,
                reason, timeouts);
    }

    public boolean serves(String model) {
        return models.isEmpty() || models.contains(model);
    }

    /** The model name to send upstream for the client's {@code model}. */
    public String upstreamModel(String model) {
        return modelMapping.getOrDefault(model, model);
    }

    @Override
    public String toString() {
        return "Channel[" + id + " " + name + " " + type + " " + baseUrl + "]";
    }
}
