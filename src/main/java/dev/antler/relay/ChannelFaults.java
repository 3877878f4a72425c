package dev.antler.relay;

import dev.antler.json.Json;
import dev.antler.routing.ChannelHealth;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Upstream answers that mean the channel itself is unusable until an operator acts: its key is
 * refused or its account has no credit (any HTTP 402 Payment Required). Such a channel is disabled (and re-enabled by a passing
 * channel test), rather than counted as a passing failure by its circuit breaker.
 *
 * <p>Only the error envelope's {@code code} and {@code type} are read (and, for Anthropic's 400, the
 * start of the message): an upstream may echo the client's text in a message, and a client must not
 * be able to disable a channel by sending the right words.
 */
final class ChannelFaults {

    /** Error codes and types of OpenAI, Anthropic and OpenAI-compatible upstreams. */
    private static final Set<String> MARKERS = Set.of("insufficient_quota", "invalid_api_key", "account_deactivated",
            "billing_not_active", "billing_hard_limit_reached", "authentication_error");
    private static final String NO_CREDIT = "Your credit balance is too low";

    private ChannelFaults() {}

    /** The reason to disable the channel for this answer, or null when the answer is not such a fault. */
    static String disablingReason(int status, String body) {
        JsonNode error = errorOf(body);
        for (String field : new String[] {"code", "type"}) {
            JsonNode value = error.path(field);
            if (value.isString() && MARKERS.contains(value.stringValue())) {
                return ChannelHealth.AUTO_DISABLED + "upstream HTTP " + status + " " + value.stringValue();
            }
        }
        JsonNode message = error.path("message");
        if (status == 400 && message.isString() && message.stringValue().startsWith(NO_CREDIT)) {
            return ChannelHealth.AUTO_DISABLED + "upstream HTTP 400 credit balance is too low";
        }
        if (status == 401) {
            return ChannelHealth.AUTO_DISABLED + "upstream HTTP 401 (the channel key was refused)";
        }
        if (status == 402) { // Payment Required: BFL's and other providers' word for an account out of credit
            return ChannelHealth.AUTO_DISABLED + "upstream HTTP 402 (the channel's account is out of credit)";
        }
        return null;
    }

    private static JsonNode errorOf(String body) {
        if (body == null || !body.stripLeading().startsWith("{")) {
            return MissingNode.getInstance();
        }
        try {
            return Json.MAPPER.readTree(body).path("error");
        } catch (RuntimeException e) {
            return MissingNode.getInstance();
        }
    }
}
