package dev.antler.suno;

import tools.jackson.databind.JsonNode;

/**
 * An upstream's answer to a task submit (Suno and Udio): {@code {"code":"success","message":"","data":"<upstream
 * task id>"}} is accepted; anything else is refused, with the upstream's own code and message when it sent
 * them (new-api sends its task errors as {@code {"code","message","data":null}} with an HTTP error status, and
 * its key and rate-limit errors in the OpenAI envelope {@code {"error":{"message",...}}}). What HTTP status the
 * client gets for a refusal is the caller's choice.
 *
 * @param upstreamId the upstream's task id when accepted, else null
 * @param httpStatus the upstream's HTTP status
 * @param code       {@code success}; else the upstream's code, or {@code upstream_rate_limited} (429),
 *                   {@code upstream_error} (no code of its own)
 * @param message    the upstream's message, or a description of what came back
 */
public record SubmitAnswer(boolean accepted, String upstreamId, int httpStatus, String code, String message) {

    public static SubmitAnswer of(int httpStatus, byte[] body) {
        JsonNode root = SunoPoll.json(body);
        String code = root == null ? "" : root.path("code").asString("");
        String id = root == null ? "" : root.path("data").asString("");
        if (httpStatus / 100 == 2 && "success".equals(code)) {
            if (!id.isBlank()) {
                return new SubmitAnswer(true, id, httpStatus, code, root.path("message").asString(""));
            }
            return new SubmitAnswer(false, null, httpStatus, "upstream_error",
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
        return new SubmitAnswer(false, null, httpStatus, code, message);
    }
}
