package dev.antler.config;

import java.util.List;
import java.util.Map;

/**
 * An upstream channel as seeded from the config file; upserted by {@code name}. The timeouts are in
 * milliseconds; absent ones take the defaults of {@code ChannelTimeouts}.
 *
 * @param type the channel type, checked against the families when seeded; null: the default type
 *             ({@code Families.defaultChannelType()})
 */
public record ChannelConfig(
        String name,
        String type,
        String baseUrl,
        String key,
        List<String> models,
        Map<String, String> modelMapping,
        Integer priority,
        Integer weight,
        List<String> groups,
        Boolean enabled,
        Long connectTimeoutMs,
        Long idleTimeoutMs,
        Long totalTimeoutMs) {

    public ChannelConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("channels[].name: " + name + " (expected: a non-empty name)");
        }
        models = models == null ? List.of() : List.copyOf(models);
        modelMapping = modelMapping == null ? Map.of() : Map.copyOf(modelMapping);
        priority = priority == null ? 0 : priority;
        weight = weight == null ? 1 : weight;
        groups = groups == null || groups.isEmpty() ? List.of("default") : List.copyOf(groups);
        enabled = enabled == null || enabled;
        checkTimeout("connect_timeout_ms", connectTimeoutMs);
        checkTimeout("idle_timeout_ms", idleTimeoutMs);
        checkTimeout("total_timeout_ms", totalTimeoutMs);
    }

    private static void checkTimeout(String name, Long ms) {
        if (ms != null && (ms < 1 || ms > 86_400_000L)) {
            throw new IllegalArgumentException("channels[]." + name + ": " + ms + " (expected: 1 to 86400000 ms)");
        }
    }

    /** A channel with the default timeouts. */
    public ChannelConfig(String name, String type, String baseUrl, String key, List<String> models,
                         Map<String, String> modelMapping, Integer priority, Integer weight, List<String> groups,
                         Boolean enabled) {
        this(name, type, baseUrl, key, models, modelMapping, priority, weight, groups, enabled, null, null, null);
    }
}
