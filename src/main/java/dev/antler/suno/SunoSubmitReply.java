package dev.antler.suno;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.relay.KeyMasker;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upstream's answer to a task submit (Suno and Udio): {@code {"code":"success","message":"","data":"<upstream
 * task id>"}} is accepted; anything else is refused, with the upstream's own code and message when it sent
 * them (new-api sends its task errors as {@code {"code","message","data":null}} with an HTTP error status, and
 * its key and rate-limit errors in the OpenAI envelope {@code {"error":{"message",...}}}).
 * {@link #task} and {@link #extra} say what such an answer means to the relay chain.
 *
 * @param upstreamId the upstream's task id when accepted, else null
 * @param httpStatus the upstream's HTTP status
 * @param code       {@code success}; else the upstream's code, or {@code upstream_rate_limited} (429),
 *                   {@code upstream_error} (no code of its own)
 * @param message    the upstream's message, or a description of what came back
 */
public record SunoSubmitReply(boolean accepted, String upstreamId, int httpStatus, String code, String message) {

    public static SunoSubmitReply of(int httpStatus, byte[] body) {
        JsonNode root = SunoPoll.json(body);
        String code = root == null ? "" : root.path("code").asString("");
        String id = root == null ? "" : root.path("data").asString("");
        if (httpStatus / 100 == 2 && "success".equals(code)) {
            if (!id.isBlank()) {
                return new SunoSubmitReply(true, id, httpStatus, code, root.path("message").asString(""));
            }
            return new SunoSubmitReply(false, null, httpStatus, "upstream_error",
                    "the upstream answered success without a task id (expected: data: \"<task id>\")");
        }
        String message = root == null ? "" : root.path("message").asString("");
        if (message.isBlank() && root != null) {
            message = root.path("error").path("message").asString("");
        }
        if (code.isBlank() || "success".equals(code)) {
            code = httpStatus == 429 ? "upstream_rate_limited" : "upstream_error";
        }
        if (message.isBlank()) {
            message = "the upstream answered HTTP " + httpStatus
                    + (root == null ? " without a JSON object" : " without a message");
        }
        return new SunoSubmitReply(false, null, httpStatus, code, message);
    }

    /**
     * A task submit's answer as the chain reads it: accepted (the task starts SUBMITTED), else see
     * {@link #notAccepted}.
     */
    public static SubmitReply task(Channel channel, int httpStatus, byte[] body) {
        SunoSubmitReply reply = of(httpStatus, body);
        return reply.accepted() ? SubmitReply.Accepted.of(reply.upstreamId(), TaskStatus.SUBMITTED, body)
                : reply.notAccepted(channel);
    }

    /**
     * An extra's answer (persona, style tags, vox, stems, wav, mp4, timing), answered at once and charged: the
     * upstream's JSON without the upstream account's fields ({@link AccountFields}). An error status is read as
     * {@link #notAccepted}; a success that is not JSON is a 502, uncharged.
     */
    public static SubmitReply extra(Channel channel, int httpStatus, byte[] body) {
        if (httpStatus / 100 != 2) {
            return of(httpStatus, body).notAccepted(channel);
        }
        JsonNode answer = parse(body);
        if (answer == null) {
            return new SubmitReply.Failed(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error", "upstream: "
                    + channel.name() + " answered HTTP " + httpStatus + " with a body that is not JSON (expected: "
                    + "the answer of the relay protocol)"), false);
        }
        return new SubmitReply.Answered(Json.bytes(AccountFields.strip(answer, null)), true);
    }

    /** The client's answer to an accepted submit: {@code {"code":"success","message":"","data":"<task id>"}}. */
    public static byte[] answer(String publicTaskId) {
        ObjectNode out = Json.object();
        out.put("code", "success");
        out.put("message", "");
        out.put("data", publicTaskId);
        return Json.bytes(out);
    }

    /**
     * A submit the upstream did not take, never charged. A refusal of the request itself (a 4xx other than 401,
     * 403 and 429, or a 2xx with an error code) reaches the client in the protocol's shape with the upstream's
     * code and message, as HTTP 400 for a 2xx; 429 and 503 are tried on the next channel (then 429 / 502); a
     * refused channel key (401, 403) or another 5xx is a 502 that names the upstream's code only (the message is
     * about the channel's account, not the client's request).
     */
    private SubmitReply notAccepted(Channel channel) {
        String upstream = "upstream: " + channel.name() + " answered HTTP " + httpStatus;
        if (httpStatus == 429) {
            return new SubmitReply.Failed(new GatewayException(429, ErrorKind.RATE_LIMIT, "upstream_rate_limited",
                    upstream + " (expected: a channel that is not rate limiting; retry later)"), true);
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return new SubmitReply.Failed(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_auth_failed",
                    upstream + ": it refused the channel's key (expected: a valid key on the channel)"), false);
        }
        boolean refusedRequest = httpStatus / 100 == 4 || (httpStatus / 100 == 2 && !"upstream_error".equals(code));
        if (!refusedRequest) {
            return new SubmitReply.Failed(new GatewayException(502, ErrorKind.UPSTREAM, "upstream_error",
                    upstream + ", code " + code + " (expected: a task id)"), SubmitReply.Failed.retryable(httpStatus));
        }
        ObjectNode out = Json.object();
        out.put("code", code);
        out.put("message", KeyMasker.mask(message));
        out.putNull("data");
        return new SubmitReply.Refused(httpStatus / 100 == 4 ? httpStatus : 400, Json.bytes(out),
                "HTTP " + httpStatus + ", " + code + ": " + message);
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root != null && (root.isObject() || root.isArray()) ? root : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
