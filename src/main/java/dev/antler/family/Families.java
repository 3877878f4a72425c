package dev.antler.family;

import static java.util.Objects.requireNonNull;

import dev.antler.anthropic.AnthropicFamily;
import dev.antler.billing.Price;
import dev.antler.health.ProbeRequest;
import dev.antler.flux.FluxFamily;
import dev.antler.ideogram.IdeogramFamily;
import dev.antler.kling.KlingFamily;
import dev.antler.luma.LumaFamily;
import dev.antler.midjourney.MidjourneyFamily;
import dev.antler.minimax.MiniMaxFamily;
import dev.antler.openai.OpenAiFamily;
import dev.antler.pika.PikaFamily;
import dev.antler.recraft.RecraftFamily;
import dev.antler.replicate.ReplicateFamily;
import dev.antler.routing.Channel;
import dev.antler.runway.RunwayFamily;
import dev.antler.suno.SunoFamily;
import dev.antler.suno.UdioFamily;
import dev.antler.videogen.GenericVideoFamily;
import dev.antler.videos.VideosFamily;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The registry of families: their channel types, probes and default prices, checked once when built so a
 * clash (two families with one name, one channel type or one price key) stops the start, naming both.
 */
public final class Families {

    private final List<Family> all;
    private final Map<String, ChannelType> types;
    private final Map<String, Price> defaultPrices;

    public Families(List<Family> families) {
        this.all = List.copyOf(requireNonNull(families, "families"));
        if (all.isEmpty()) {
            throw new IllegalArgumentException("families: [] (expected: at least one family)");
        }
        Map<String, Family> names = new HashMap<>();
        Map<String, Family> typeOwners = new HashMap<>();
        Map<String, ChannelType> types = new LinkedHashMap<>();
        Map<String, Family> priceOwners = new HashMap<>();
        Map<String, Price> prices = new LinkedHashMap<>();
        for (Family family : all) {
            clash("family", family.name(), names.put(family.name(), family), family);
            // A later family may serve its routes on another family's channels (videos on openai channels); the
            // first family's first type is the default type, so it must have one.
            if (family.channelTypes().isEmpty() && family == all.get(0)) {
                throw new IllegalArgumentException("family " + family.name()
                        + ": no channel types (expected: at least one)");
            }
            for (ChannelType type : family.channelTypes()) {
                clash("channel type", type.name(), typeOwners.put(type.name(), family), family);
                types.put(type.name(), type);
            }
            family.defaultPrices().forEach((key, price) -> {
                clash("default price", key, priceOwners.put(key, family), family);
                prices.put(key, requireNonNull(price, "price of " + key));
            });
        }
        this.types = types;
        this.defaultPrices = Collections.unmodifiableMap(prices);
    }

    private static void clash(String what, String key, Family earlier, Family later) {
        if (earlier != null) {
            throw new IllegalStateException(what + ": " + key + " (expected: defined by one family; both "
                    + earlier.name() + " and " + later.name() + " define it)");
        }
    }

    /**
     * The families Antler ships, one line each. The first family's first channel type is the type of a
     * channel that names none.
     */
    public static Families builtIn() {
        return new Families(List.of(
                new OpenAiFamily(),
                new AnthropicFamily(),
                new IdeogramFamily(),
                new RecraftFamily(),
                new MidjourneyFamily(),
                new SunoFamily(),
                new UdioFamily(),
                new VideosFamily(),
                new KlingFamily(),
                new FluxFamily(),
                new MiniMaxFamily(),
                new LumaFamily(),
                new PikaFamily(),
                new RunwayFamily(),
                new ReplicateFamily(),
                new GenericVideoFamily()));
    }

    /** The families in registration order. */
    public List<Family> all() {
        return all;
    }

    public Optional<ChannelType> channelType(String name) {
        return Optional.ofNullable(name == null ? null : types.get(name));
    }

    /** The type of a channel given none: the first family's first channel type. */
    public ChannelType defaultChannelType() {
        return all.get(0).channelTypes().get(0);
    }

    /** Every channel type's name, sorted. */
    public SortedSet<String> channelTypeNames() {
        return new TreeSet<>(types.keySet());
    }

    /** What a channel's type must be, for messages: {@code one of anthropic, ideogram, ...}. */
    public String expectedType() {
        return "one of " + String.join(", ", channelTypeNames());
    }

    /** The default base URL of each channel type that has one, by type name. */
    public Map<String, String> defaultBaseUrls() {
        Map<String, String> urls = new TreeMap<>();
        types.values().stream().filter(t -> t.defaultBaseUrl() != null)
                .forEach(t -> urls.put(t.name(), t.defaultBaseUrl()));
        return Map.copyOf(urls);
    }

    /** The probe of each testable channel type, by type name. */
    public Map<String, Function<Channel, ProbeRequest>> probes() {
        Map<String, Function<Channel, ProbeRequest>> probes = new TreeMap<>();
        types.values().stream().filter(ChannelType::testable).forEach(t -> probes.put(t.name(), t.probe()));
        return Map.copyOf(probes);
    }

    /** Every family's default prices, merged (no key is defined twice). */
    public Map<String, Price> defaultPrices() {
        return defaultPrices;
    }
}
