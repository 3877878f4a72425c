package dev.antler.routing;

import java.util.List;

/**
 * The channels that may serve one (group, model) for an operation, in the order they are tried: channels
 * that name the model in their own format, then those that name it in a format the operation translates
 * to, then the catch-all channels (empty {@code models}) in the same two formats. Inside each of the four
 * parts, priority tiers as usual.
 *
 * @param tiers       every tier, in that order
 * @param nativeTiers     the tiers of channels of the operation's own format only
 * @param translatedFirst whether the first choice is a channel of a translated format
 */
public record Route(List<List<Channel>> tiers, List<List<Channel>> nativeTiers, boolean translatedFirst) {

    public static final Route NONE = new Route(List.of(), List.of(), false);

    public boolean isEmpty() {
        return tiers.isEmpty();
    }

    /** Whether some tier is of a translated format. */
    public boolean hasTranslated() {
        return tiers.size() != nativeTiers.size();
    }
}
