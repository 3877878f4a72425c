package dev.antler.minimax;

import dev.antler.json.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * MiniMax's status codes and what they mean for the gateway. V1 answers carry them in
 * {@code base_resp.status_code} (with HTTP 200); V2's errors name them at the end of {@code error.message}
 * ({@code "... (1004)"}) with a real HTTP status. Codes from MiniMax's error-code reference.
 */
final class MiniMaxCodes {

    static final int OK = 0;
    static final int UNKNOWN = 1000;
    static final int TIMEOUT = 1001;
    static final int RATE_LIMIT = 1002;
    static final int AUTH_FAILED = 1004;
    static final int NO_BALANCE = 1008;
    static final int SENSITIVE_INPUT = 1026;
    static final int SENSITIVE_OUTPUT = 1027;
    static final int TOKEN_RATE_LIMIT = 1039;
    static final int INVALID_PARAMS = 2013;
    static final int INVALID_KEY = 2049;

    private static final Pattern TRAILING_CODE = Pattern.compile("\\((\\d{3,5})\\)\\s*$");

    /** What a code means for the request and the channel. */
    enum Meaning {
        /** No error. */
        OK,
        /** Rate limited: another channel may take it; the channel counts a failure. */
        RATE_LIMITED,
        /** The channel's key was refused: the channel is disabled, another may take it. */
        KEY_REFUSED,
        /** The channel's account has no balance: the channel is disabled, another may take it. */
        NO_BALANCE,
        /** The content was judged sensitive: the client's to change (422), never charged. */
        SENSITIVE,
        /** The parameters were refused: the client's to change (400), never charged. */
        INVALID,
        /** Any other error. */
        OTHER
    }

    /** A reading of an upstream answer: MiniMax's code (or null when it gave none) and its message. */
    record Read(Integer code, String message, JsonNode root) {

        Meaning meaning(int httpStatus) {
            if (code != null) {
                return of(code);
            }
            return switch (httpStatus) {
                case 200 -> Meaning.OK;
                case 429 -> Meaning.RATE_LIMITED;
                case 401, 403 -> Meaning.KEY_REFUSED;
                case 402 -> Meaning.NO_BALANCE;
                case 422 -> Meaning.SENSITIVE;
                case 400 -> Meaning.INVALID;
                default -> Meaning.OTHER;
            };
        }
    }

    private MiniMaxCodes() {}

    static Meaning of(int code) {
        return switch (code) {
            case OK -> Meaning.OK;
            case RATE_LIMIT, TOKEN_RATE_LIMIT -> Meaning.RATE_LIMITED;
            case AUTH_FAILED, INVALID_KEY -> Meaning.KEY_REFUSED;
            case NO_BALANCE -> Meaning.NO_BALANCE;
            case SENSITIVE_INPUT, SENSITIVE_OUTPUT -> Meaning.SENSITIVE;
            case INVALID_PARAMS -> Meaning.INVALID;
            default -> Meaning.OTHER;
        };
    }

    /** MiniMax's code and message in {@code body}: V1's {@code base_resp}, else V2's {@code error}. */
    static Read read(byte[] body) {
        JsonNode root = Json.objectOrNull(body);
        if (root == null) {
            return new Read(null, null, MissingNode.getInstance());
        }
        JsonNode base = root.path("base_resp");
        if (base.path("status_code").isIntegralNumber()) {
            return new Read(base.path("status_code").asInt(), base.path("status_msg").asString(""), root);
        }
        JsonNode message = root.path("error").path("message");
        if (message.isString()) {
            Matcher m = TRAILING_CODE.matcher(message.asString());
            if (m.find()) {
                return new Read(Integer.valueOf(m.group(1)), message.asString().substring(0, m.start()).strip(), root);
            }
            return new Read(null, message.asString(), root);
        }
        return new Read(null, null, root);
    }
}
