package dev.antler.routing;

import static java.util.Objects.requireNonNull;

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

    /**
     * The upstream URL of {@code path} (which starts with {@code /}) on this channel: the base URL, without
     * surrounding blanks or trailing slashes, then {@code path}. A base URL ending in {@code /v1} works with
     * or without it when {@code path} starts with {@code /v1/}, as operators paste OpenAI-style base URLs
     * either way; no upstream path has {@code /v1/v1/} (Midjourney's paths never start with {@code /v1/},
     * and for Ideogram's 3.0 paths, which do, a base ending in {@code /v1} would otherwise double it).
     * A blank base URL is filled in from the channel type's default by {@link ChannelRegistry}.
     */
    public String url(String path) {
        requireNonNull(path, "path");
        String base = baseUrl == null ? "" : baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.endsWith("/v1") && path.startsWith("/v1/")) {
            base = base.substring(0, base.length() - 3);
        }
        return base + path;
    }

    /** This channel with {@code defaultBaseUrl} in place of a blank base URL; itself when its own is set. */
    public Channel withDefaultBaseUrl(String defaultBaseUrl) {
        if (defaultBaseUrl == null || (baseUrl != null && !baseUrl.isBlank())) {
            return this;
        }
        return new Channel(id, name, type, defaultBaseUrl, apiKey, models, modelMapping, priority, weight, groups,
                status, statusReason, timeouts);
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
