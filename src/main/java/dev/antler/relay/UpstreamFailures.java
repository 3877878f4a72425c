package dev.antler.relay;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.http.ErrorFormat;
import dev.antler.json.Json;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.buffer.Buffer;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * What an upstream failure means for the client and for failover. Client errors the upstream found
 * in the request (400, 404, 413, 422 ...) pass through with their body; the channel's own problems
 * (401/403 credentials, 429, 5xx, transport failures) become gateway errors that name no channel or key.
 */
final class UpstreamFailures {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private UpstreamFailures() {}

    /** Statuses after which the upstream did not do the work, so another channel may be tried. */
    static boolean isRetryable(int status) {
        return status == 429 || status >= 500;
    }

    static GatewayException unreachable() {
        return new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                "no upstream channel could be reached", GatewayException.Retry.UNPROCESSED, null);
    }

    static GatewayException allUnhealthy() {
        return new GatewayException(503, ErrorKind.UPSTREAM, "upstream_unavailable",
                "every channel for this model is failing or asked to wait (circuit open or Retry-After); retry later",
                GatewayException.Retry.UNPROCESSED, null);
    }

    /**
     * A transport failure. {@code sent}: it happened after a connection was made and the request went
     * out, so the upstream may have done (and billed) the work, and another channel must not be tried.
     * A timeout before the response head is the exception: the request is cancelled and another
     * channel tried, since the client has received nothing and is billed for one answer only; the cost
     * of the abandoned attempt, if any, falls on the operator's channel, never on the client.
     */
    static GatewayException fromTransport(Throwable failure, boolean sent) {
        if (failure instanceof GatewayException gateway) {
            return gateway;
        }
        GatewayException.Retry retry = sent ? GatewayException.Retry.NOT_RETRYABLE : GatewayException.Retry.UNPROCESSED;
        if (failure instanceof ConnectTimeoutException || failure instanceof TimeoutException
                || failure.getClass().getSimpleName().contains("Timeout")) {
            return new GatewayException(504, ErrorKind.UPSTREAM, "upstream_timeout",
                    "the upstream did not answer in time", GatewayException.Retry.UNPROCESSED, null);
        }
        String detail = failure instanceof ConnectException ? "connection refused" : failure.getClass().getSimpleName();
        return sent
                ? new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error",
                        "the upstream connection broke before an answer (" + detail + ")", retry, null)
                : new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                        "the upstream could not be reached (" + detail + ")", retry, null);
    }

    static GatewayException fromStatus(int status, String detail) {
        String suffix = detail == null ? "" : ": " + detail;
        return switch (status) {
            case 401, 403 -> new GatewayException(502, ErrorKind.UPSTREAM, "upstream_auth_failed",
                    "the upstream refused the gateway's channel credentials (HTTP " + status + ")");
            case 429 -> new GatewayException(429, ErrorKind.RATE_LIMIT, "upstream_rate_limited",
                    "the upstream is rate limiting; retry later" + suffix);
            default -> new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error",
                    "the upstream failed with HTTP " + status + suffix);
        };
    }

    /** The answer to send the client for an upstream error status, and a message for the usage log. */
    static Answer answer(int status, Buffer upstreamBody, ErrorFormat errors, String requestId) {
        String text = upstreamBody == null ? ""
                : upstreamBody.getString(0, Math.min(upstreamBody.length(), MAX_ERROR_BODY), StandardCharsets.UTF_8.name());
        String masked = KeyMasker.mask(text);
        String upstreamMessage = messageOf(masked);
        boolean clientError = status >= 400 && status < 500 && status != 401 && status != 403 && status != 429;
        if (clientError) {
            GatewayException error = new GatewayException(status, ErrorKind.INVALID_REQUEST, "upstream_rejected",
                    upstreamMessage == null ? "the upstream rejected the request (HTTP " + status + ")" : upstreamMessage);
            Buffer body = isJsonObject(masked) && errors.isOwnEnvelope(masked) ? Buffer.buffer(masked) : errors.render(error, requestId);
            return new Answer(status, body, "upstream HTTP " + status + ": " + abbreviate(masked));
        }
        GatewayException error = fromStatus(status, null);
        return new Answer(error.status(), errors.render(error, requestId),
                "upstream HTTP " + status + ": " + abbreviate(masked));
    }

    private static boolean isJsonObject(String text) {
        if (!text.stripLeading().startsWith("{")) {
            return false;
        }
        try {
            return Json.MAPPER.readTree(text).isObject();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String messageOf(String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            JsonNode message = node.path("error").path("message");
            if (message.isString()) {
                return message.stringValue();
            }
            if (node.path("error").isString()) {
                return node.path("error").stringValue();
            }
        } catch (RuntimeException ignored) {
            // not JSON: no message to extract
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    record Answer(int status, Buffer body, String logMessage) {}
}
