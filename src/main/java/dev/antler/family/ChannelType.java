package dev.antler.family;

import static java.util.Objects.requireNonNull;

import dev.antler.health.ProbeRequest;
import dev.antler.routing.Channel;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A kind of upstream channel a family speaks to: the {@code type} an operator gives a channel.
 *
 * @param name           the type's name, e.g. {@code openai}: 1 to 32 lower-case letters, digits, '_' or '-'
 * @param defaultBaseUrl the base URL of a channel that sets none; null: every channel must set one
 * @param auth           how the channel's key is sent upstream
 * @param probe          the smallest real request that shows a channel works; null: not testable
 */
public record ChannelType(String name, String defaultBaseUrl, UpstreamAuth auth,
                          Function<Channel, ProbeRequest> probe) {

    static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    public ChannelType {
        requireNonNull(name, "name");
        requireNonNull(auth, "auth");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: " + name
                    + " (expected: 1 to 32 lower-case letters, digits, '_' or '-')");
        }
        if (defaultBaseUrl != null && defaultBaseUrl.isBlank()) {
            throw new IllegalArgumentException("defaultBaseUrl: (blank) (expected: a URL, or null for none)");
        }
    }

    /** Whether channels of this type have a test request. */
    public boolean testable() {
        return probe != null;
    }
}
