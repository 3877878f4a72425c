package dev.antler.minimax;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.minimax.MiniMaxCodes.Meaning;
import dev.antler.relay.KeyMasker;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import tools.jackson.databind.JsonNode;

/**
 * What MiniMax's answer to a submit means ({@link MiniMaxCodes}). V1 reports its errors with HTTP 200, so the
 * chain sees a success there; the channel's health is told here what the code says:
 * <ul>
 *   <li>1002 (rate limit): a failure of the channel; the submit goes to the next channel (MiniMax made no task);</li>
 *   <li>1004, 2049 (key refused) and 1008 (no balance): the channel is disabled with the reason (re-enabled by a
 *       passing channel test, as the chain does for other upstreams' refused keys and spent credit); next channel;</li>
 *   <li>1026, 1027 (sensitive content): the client's answer, 422 in MiniMax's shape, never charged;</li>
 *   <li>2013 (invalid parameters): the client's answer, 400 in MiniMax's shape, never charged;</li>
 *   <li>other codes: no task was made, the next channel is tried; an answer with neither a task id nor a code
 *       (the upstream may have taken the work) ends the submit uncharged.</li>
 * </ul>
 * An HTTP 401 or 402 was already judged by the chain (the channel disabled); it is not disabled twice.
 */
final class MiniMaxReplies {

    private final ChannelHealth health;

    MiniMaxReplies(ChannelHealth health) {
        this.health = requireNonNull(health, "health");
    }

    SubmitReply submit(MiniMaxApi api, Channel channel, int status, byte[] body) {
        MiniMaxCodes.Read read = MiniMaxCodes.read(body);
        Meaning meaning = read.meaning(status);
        String taskId = read.root().path("task_id").asString("");
        if (status == 200 && meaning == Meaning.OK && !taskId.isBlank()) {
            return SubmitReply.Accepted.of(taskId, TaskStatus.SUBMITTED, body);
        }
        String said = said(read, status);
        return switch (meaning) {
            case RATE_LIMITED -> {
                if (status < 400) {
                    health.onFailure(channel);
                }
                yield new SubmitReply.Failed(new GatewayException(429, ErrorKind.RATE_LIMIT, "upstream_rate_limited",
                        "the upstream is rate limiting; retry later (" + said + ")"), true);
            }
            case KEY_REFUSED, NO_BALANCE -> {
                boolean key = meaning == Meaning.KEY_REFUSED;
                if (status != 401 && status != 402) { // those the chain has judged already (ChannelFaults)
                    health.onAbandoned(channel);
                    health.disable(channel, ChannelHealth.AUTO_DISABLED + (key ? "the upstream refused the key ("
                            : "the upstream account has no balance (") + said + ")");
                }
                yield new SubmitReply.Failed(new GatewayException(502, ErrorKind.UPSTREAM,
                        key ? "upstream_auth_failed" : "upstream_no_balance", key
                        ? "the upstream refused the gateway's channel credentials (" + said + ")"
                        : "the upstream account of the gateway's channel has no balance (" + said + ")"), true);
            }
            case SENSITIVE -> refused(api, 422, code(read, MiniMaxCodes.SENSITIVE_INPUT), read, said);
            case INVALID -> refused(api, 400, MiniMaxCodes.INVALID_PARAMS, read, said);
            case OK, OTHER -> {
                boolean noTask = (read.code() != null && read.code() != MiniMaxCodes.OK)
                        || SubmitReply.Failed.retryable(status);
                if (noTask && status < 400) {
                    health.onFailure(channel);
                }
                yield new SubmitReply.Failed(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error",
                        "upstream: " + said + " (expected: a task id)"), noTask);
            }
        };
    }

    /** The upstream's refusal of the input, in the API's own shape with its words. */
    private static SubmitReply refused(MiniMaxApi api, int status, int code, MiniMaxCodes.Read read, String said) {
        String message = read.message() == null || read.message().isBlank()
                ? (status == 422 ? "the content was judged sensitive" : "invalid params")
                : KeyMasker.mask(read.message());
        JsonNode answer = api == MiniMaxApi.V1
                ? MiniMaxErrorFormat.body(code, message, null).put("task_id", "")
                : MiniMaxV2ErrorFormat.body(status, status == 422 ? "unprocessable_entity_error" : "bad_request_error",
                        message + " (" + code + ")", "");
        return new SubmitReply.Refused(status, Json.bytes(answer), "upstream refused: " + said);
    }

    private static int code(MiniMaxCodes.Read read, int fallback) {
        return read.code() == null ? fallback : read.code();
    }

    /** What the upstream said, for messages and the log: its code and (masked) words, or its HTTP status. */
    static String said(MiniMaxCodes.Read read, int status) {
        String words = read.message() == null || read.message().isBlank() ? ""
                : ": " + KeyMasker.mask(read.message().length() > 200 ? read.message().substring(0, 200) + "..."
                : read.message());
        return (read.code() == null ? "HTTP " + status : "MiniMax code " + read.code()) + words;
    }
}
