package dev.antler.midjourney;

import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import java.util.List;
import java.util.Set;

/**
 * Which Midjourney channels serve a submit. A channel's {@code models} may name actions by their price
 * name ({@code mj_imagine}, {@code mj_upscale}, ...) and speed modes by their path prefix ({@code mj-fast},
 * {@code mj-relax}, {@code mj-turbo}, and {@code mj} for requests without a prefix). The two are independent:
 * a channel that names no action serves every action, one that names no mode serves every mode. So
 * {@code models: [mj, mj-fast]} is a fast channel and {@code models: [mj-relax]} a relax one.
 */
final class MjChannels {

    static final Set<String> TYPES = Set.of("midjourney");
    static final Set<String> MODES = Set.of("mj", "mj-fast", "mj-relax", "mj-turbo");

    private MjChannels() {}

    /** The mode entry of a request under {@code /mj-<mode>} ({@code mode} null: plain {@code /mj}). */
    static String modeEntry(String mode) {
        return mode == null ? "mj" : "mj-" + mode;
    }

    static boolean serves(Channel channel, String action, String mode) {
        Set<String> models = channel.models();
        boolean namesAction = models.stream().anyMatch(m -> !MODES.contains(m));
        boolean namesMode = models.stream().anyMatch(MODES::contains);
        return (!namesAction || models.contains(action)) && (!namesMode || models.contains(modeEntry(mode)));
    }

    /** Active channels of {@code group} serving {@code action} in {@code mode}, by priority, highest first. */
    static List<List<Channel>> tiers(ChannelRegistry registry, String group, String action, String mode) {
        return registry.tiers(group, TYPES, c -> serves(c, action, mode));
    }
}
