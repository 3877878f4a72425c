package dev.antler.routing;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The in-memory routing index: which enabled channels serve a (group, model) for a family, in
 * priority tiers. The index is an immutable snapshot replaced whole when channels change, so
 * lookups on the hot path take no lock.
 */
public final class ChannelRegistry {

    private volatile Snapshot snapshot = new Snapshot(List.of());
    private final ChannelHealth health;

    public ChannelRegistry() {
        this(new ChannelHealth(java.time.Clock.systemUTC(), ChannelHealth.Settings.DEFAULTS));
    }

    public ChannelRegistry(ChannelHealth health) {
        this.health = requireNonNull(health, "health");
    }

    /** The circuit breakers of the channels, which routing consults before each attempt. */
    public ChannelHealth health() {
        return health;
    }

    public void replace(List<Channel> channels) {
        snapshot = new Snapshot(requireNonNull(channels, "channels"));
    }

    public List<Channel> all() {
        return snapshot.channels;
    }

    /**
     * The tiers of channels (highest priority first) of one of {@code types} that serve {@code model}
     * to {@code group}; empty when none does.
     */
    public List<List<Channel>> tiers(String group, String model, Set<String> types) {
        return snapshot.tiers(group, model, types);
    }

    /** Models named explicitly by enabled channels of {@code types} serving {@code group}. */
    public Set<String> models(String group, Set<String> types) {
        return snapshot.channels.stream()
                .filter(c -> c.status() == Status.ACTIVE && c.groups().contains(group) && types.contains(c.type()))
                .flatMap(c -> c.models().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static final class Snapshot {
        private final List<Channel> channels;
        private final Map<String, List<List<Channel>>> tiersByKey = new ConcurrentHashMap<>();

        Snapshot(List<Channel> channels) {
            this.channels = List.copyOf(channels);
        }

        List<List<Channel>> tiers(String group, String model, Set<String> types) {
            String key = group + '\u0000' + model + '\u0000' + types;
            return tiersByKey.computeIfAbsent(key, k -> build(group, model, types));
        }

        private List<List<Channel>> build(String group, String model, Set<String> types) {
            List<Channel> matching = channels.stream()
                    .filter(c -> c.status() == Status.ACTIVE && c.weight() > 0)
                    .filter(c -> types.contains(c.type()) && c.groups().contains(group) && c.serves(model))
                    .sorted(Comparator.comparingInt(Channel::priority).reversed())
                    .toList();
            List<List<Channel>> tiers = new ArrayList<>();
            List<Channel> tier = new ArrayList<>();
            for (Channel c : matching) {
                if (!tier.isEmpty() && tier.get(0).priority() != c.priority()) {
                    tiers.add(List.copyOf(tier));
                    tier.clear();
                }
                tier.add(c);
            }
            if (!tier.isEmpty()) {
                tiers.add(List.copyOf(tier));
            }
            return List.copyOf(tiers);
        }
    }
}
