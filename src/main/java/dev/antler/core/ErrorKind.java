package dev.antler.core;

/**
 * The category of an error, independent of any provider's envelope. Each family maps it to its
 * own vocabulary (OpenAI {@code type}, Anthropic {@code error.type}, ...).
 */
public enum ErrorKind {
    INVALID_REQUEST("invalid_request_error"),
    AUTHENTICATION("authentication_error"),
    PERMISSION("permission_error"),
    INSUFFICIENT_QUOTA("insufficient_quota"),
    NOT_FOUND("invalid_request_error"),
    TOO_LARGE("invalid_request_error"),
    RATE_LIMIT("rate_limit_error"),
    UPSTREAM("upstream_error"),
    NO_CHANNEL("server_error"),
    SERVER("server_error");

    private final String openAiType;

    ErrorKind(String openAiType) {
        this.openAiType = openAiType;
    }

    /** The {@code error.type} value used in the OpenAI error envelope. */
    public String openAiType() {
        return openAiType;
    }
}
