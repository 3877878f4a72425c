package dev.antler.core;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception root of the gateway. Each instance carries what the edge needs to
 * answer the client: the HTTP status, a stable error code, the error category, and whether the
 * request may be tried again on another channel.
 *
 * <p>Messages of gateway exceptions are always safe to show to the client: they are written by
 * the gateway and never contain a key. Stack traces are not captured; these are expected,
 * frequent outcomes on the hot path, not bugs.
 */
public class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final ErrorKind kind;
    private final String code;
    private final Retry retry;
    private final long retryAfterSeconds;

    public GatewayException(int status, ErrorKind kind, String code, String message) {
        this(status, kind, code, message, Retry.NOT_RETRYABLE, null);
    }

    /** An answer the client may retry after {@code retryAfterSeconds}, sent as {@code Retry-After}. */
    public GatewayException(int status, ErrorKind kind, String code, String message, long retryAfterSeconds) {
        this(status, kind, code, message, Retry.NOT_RETRYABLE, null, retryAfterSeconds);
    }

    public GatewayException(int status, ErrorKind kind, String code, String message, Retry retry,
                            Throwable cause) {
        this(status, kind, code, message, retry, cause, 0);
    }

    private GatewayException(int status, ErrorKind kind, String code, String message, Retry retry,
                             Throwable cause, long retryAfterSeconds) {
        super(requireNonNull(message, "message"), cause, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
        this.status = status;
        this.kind = requireNonNull(kind, "kind");
        this.code = requireNonNull(code, "code");
        this.retry = requireNonNull(retry, "retry");
    }

    public int status() {
        return status;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public Retry retry() {
        return retry;
    }

    /** Seconds after which the same request can succeed, sent as {@code Retry-After}; 0 when not known. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Whether another channel may be tried: set only when the upstream cannot have done the work. */
    public enum Retry {
        /** The upstream certainly did not process the request (connect failure, 429, 5xx before body). */
        UNPROCESSED,
        /** Not to be retried: client error, or the upstream may have done (and billed) the work. */
        NOT_RETRYABLE
    }

    public static GatewayException badRequest(String code, String message) {
        return new GatewayException(400, ErrorKind.INVALID_REQUEST, code, message);
    }

    public static GatewayException unauthorized(String message) {
        return new GatewayException(401, ErrorKind.AUTHENTICATION, "invalid_api_key", message);
    }

    public static GatewayException forbidden(String code, String message) {
        return new GatewayException(403, ErrorKind.PERMISSION, code, message);
    }

    public static GatewayException notFound(String code, String message) {
        return new GatewayException(404, ErrorKind.NOT_FOUND, code, message);
    }

    public static GatewayException tooLarge(String message) {
        return new GatewayException(413, ErrorKind.TOO_LARGE, "request_too_large", message);
    }

    public static GatewayException insufficientBalance(String message) {
        return new GatewayException(403, ErrorKind.INSUFFICIENT_QUOTA, "insufficient_quota", message);
    }
}
