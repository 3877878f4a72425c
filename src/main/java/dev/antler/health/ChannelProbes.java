package dev.antler.health;

import dev.antler.family.ChannelType;
import dev.antler.family.Families;
import dev.antler.routing.Channel;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The probe of each channel type ({@link ChannelType#probe()}): the smallest real request that shows the
 * key works (and, where the upstream bills, that the account can pay). Channels of a type without one are
 * not testable.
 */
public final class ChannelProbes {

    private final Map<String, Function<Channel, ProbeRequest>> byType;

    public ChannelProbes(Map<String, Function<Channel, ProbeRequest>> byType) {
        this.byType = Map.copyOf(byType);
    }

    /** The probes of the families' channel types. */
    public static ChannelProbes of(Families families) {
        return new ChannelProbes(families.probes());
    }

    public Optional<ProbeRequest> probe(Channel channel) {
        Function<Channel, ProbeRequest> probe = byType.get(channel.type());
        return probe == null ? Optional.empty() : Optional.of(probe.apply(channel));
    }

    /** The channel types that have a probe, sorted. */
    public Set<String> types() {
        return new TreeSet<>(byType.keySet());
    }
}
