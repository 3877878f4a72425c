package dev.antler.relay;

import dev.antler.routing.ChannelHealth;
import java.util.List;
import java.util.Locale;

/**
 * Upstream answers that mean the channel itself is unusable until an operator acts: its key is
 * refused or its account has no credit. Such a channel is disabled (and re-enabled by a passing
 * channel test), rather than counted as a passing failure by its circuit breaker.
 */
final class ChannelFaults {

    /** Error codes and phrases of OpenAI, Anthropic and OpenAI-compatible upstreams. */
    private static final List<String> MARKERS = List.of("insufficient_quota", "invalid_api_key",
            "account_deactivated", "deactivated", "billing_not_active", "billing_hard_limit_reached",
            "credit balance is too low", "authentication_error");

    private ChannelFaults() {}

    /** The reason to disable the channel for this answer, or null when the answer is not such a fault. */
    static String disablingReason(int status, String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
            if (text.contains(marker)) {
                return ChannelHealth.AUTO_DISABLED + "upstream HTTP " + status + " " + marker;
            }
        }
        if (status == 401) {
            return ChannelHealth.AUTO_DISABLED + "upstream HTTP 401 (the channel key was refused)";
        }
        return null;
    }
}
