package dev.antler.routing;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The in-memory routing index: which enabled channels serve a (group, model) for a family, in
 * priority tiers. The index is an immutable snapshot replaced whole when channels change, so
 * lookups on the hot path take no lock.
 */
public final class ChannelRegistry {

    private volatile Snapshot snapshot = new Snapshot(List.of());
    private final ChannelHealth health;
    private final Map<String, String> defaultBaseUrls;

    public ChannelRegistry() {
        this(new ChannelHealth(java.time.Clock.systemUTC(), ChannelHealth.Settings.DEFAULTS));
    }

    public ChannelRegistry(ChannelHealth health) {
        this(health, Map.of());
    }

    /** @param defaultBaseUrls the base URL of a channel that sets none, by channel type */
    public ChannelRegistry(ChannelHealth health, Map<String, String> defaultBaseUrls) {
        this.health = requireNonNull(health, "health");
        this.defaultBaseUrls = Map.copyOf(requireNonNull(defaultBaseUrls, "defaultBaseUrls"));
    }

    /** The circuit breakers of the channels, which routing consults before each attempt. */
    public ChannelHealth health() {
        return health;
    }

    /**
     * Routes by {@code channels} from now on, each with its type's default base URL if it sets none. The
     * default is filled in here, not stored: the store and the admin listings keep what the operator
     * configured (a blank base URL keeps following the type's default), while every channel the gateway
     * sends to comes from this snapshot and has its effective base URL.
     */
    public void replace(List<Channel> channels) {
        snapshot = new Snapshot(requireNonNull(channels, "channels").stream().map(this::withDefaults).toList());
    }

    /** {@code channel} as routing sees it: with its type's default base URL if it sets none. */
    public Channel withDefaults(Channel channel) {
        return channel.withDefaultBaseUrl(defaultBaseUrls.get(channel.type()));
    }

    public List<Channel> all() {
        return snapshot.channels;
    }

    /** The channel with {@code id}, whatever its status; empty when there is none (deleted). */
    public Optional<Channel> find(long id) {
        for (Channel c : snapshot.channels) {
            if (c.id() == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The tiers of channels (highest priority first) of one of {@code types} that serve {@code model}
     * to {@code group}, those naming the model before the catch-all ones; empty when none does.
     */
    public List<List<Channel>> tiers(String group, String model, Set<String> types) {
        return route(group, model, types, Set.of()).tiers();
    }

    /**
     * The channels of {@code nativeTypes} and {@code translatedTypes} that serve {@code model} to
     * {@code group}, in the order of {@link Route}. Cached per key in the snapshot: a repeated lookup
     * allocates nothing.
     */
    public Route route(String group, String model, Set<String> nativeTypes, Set<String> translatedTypes) {
        return snapshot.route(group, model, nativeTypes, translatedTypes);
    }

    /**
     * The tiers of enabled channels of {@code types} serving {@code group} that {@code serves} accepts, highest
     * priority first: for families whose channels say what they serve otherwise than by model name (Midjourney's
     * actions and speed modes). Not cached: such lookups are rare next to the cost of their task.
     */
    public List<List<Channel>> tiers(String group, Set<String> types, Predicate<Channel> serves) {
        return Snapshot.tiers(snapshot.channels, group, types, serves);
    }

    /**
     * Whether a channel of {@code types} for {@code group} names {@code model} or serves any model, whatever its
     * status: the model exists for the group though every such channel may be disabled now.
     */
    public boolean knows(String group, String model, Set<String> types) {
        for (Channel c : snapshot.channels) {
            if (types.contains(c.type()) && c.groups().contains(group)
                    && (c.models().isEmpty() || c.models().contains(model))) {
                return true;
            }
        }
        return false;
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
        // group -> model -> native types -> translated types -> route; nested so a hit builds no key
        private final Map<String, Map<String, Map<Set<String>, Map<Set<String>, Route>>>> routes =
                new ConcurrentHashMap<>();

        Snapshot(List<Channel> channels) {
            this.channels = List.copyOf(channels);
        }

        Route route(String group, String model, Set<String> nativeTypes, Set<String> translatedTypes) {
            Map<String, Map<Set<String>, Map<Set<String>, Route>>> byModel = routes.get(group);
            Map<Set<String>, Map<Set<String>, Route>> byNative = byModel == null ? null : byModel.get(model);
            Map<Set<String>, Route> byTranslated = byNative == null ? null : byNative.get(nativeTypes);
            Route route = byTranslated == null ? null : byTranslated.get(translatedTypes);
            if (route != null) {
                return route;
            }
            return routes.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                    .computeIfAbsent(model, m -> new ConcurrentHashMap<>())
                    .computeIfAbsent(nativeTypes, n -> new ConcurrentHashMap<>())
                    .computeIfAbsent(translatedTypes, t -> build(group, model, nativeTypes, translatedTypes));
        }

        private Route build(String group, String model, Set<String> nativeTypes, Set<String> translatedTypes) {
            List<List<Channel>> explicitNative = tiers(group, model, nativeTypes, true);
            List<List<Channel>> explicitTranslated = tiers(group, model, translatedTypes, true);
            List<List<Channel>> catchAllNative = tiers(group, model, nativeTypes, false);
            List<List<Channel>> catchAllTranslated = tiers(group, model, translatedTypes, false);
            List<List<Channel>> all = new ArrayList<>();
            all.addAll(explicitNative);
            all.addAll(explicitTranslated);
            all.addAll(catchAllNative);
            all.addAll(catchAllTranslated);
            if (all.isEmpty()) {
                return Route.NONE;
            }
            List<List<Channel>> nativeOnly = new ArrayList<>(explicitNative);
            nativeOnly.addAll(catchAllNative);
            return new Route(List.copyOf(all), List.copyOf(nativeOnly), !nativeTypes.contains(all.get(0).get(0).type()));
        }

        /** Priority tiers of the channels of {@code types} serving {@code model}, naming it or catch-all. */
        private List<List<Channel>> tiers(String group, String model, Set<String> types, boolean naming) {
            return tiers(channels, group, types, c -> naming ? c.models().contains(model) : c.models().isEmpty());
        }

        static List<List<Channel>> tiers(List<Channel> channels, String group, Set<String> types,
                                         Predicate<Channel> serves) {
            List<Channel> matching = channels.stream()
                    .filter(c -> c.status() == Status.ACTIVE && c.weight() > 0)
                    .filter(c -> types.contains(c.type()) && c.groups().contains(group))
                    .filter(serves)
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
            return tiers;
        }
    }
}
