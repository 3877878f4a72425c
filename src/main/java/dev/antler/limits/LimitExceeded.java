package dev.antler.limits;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;

/**
 * A 429 from one of the limits (or a 503 when the gateway's own memory budget is full), with the seconds after
 * which retrying can succeed ({@code Retry-After}).
 */
public final class LimitExceeded extends GatewayException {

    private static final long serialVersionUID = 1L;

    LimitExceeded(ErrorKind kind, String code, String message, long retryAfterSeconds) {
        this(429, kind, code, message, retryAfterSeconds);
    }

    LimitExceeded(int status, ErrorKind kind, String code, String message, long retryAfterSeconds) {
        super(status, kind, code, message, retryAfterSeconds);
    }

    public static LimitExceeded requests(int rpm, long retryAfter) {
        return new LimitExceeded(ErrorKind.RATE_LIMIT, "rate_limit_exceeded", "requests per minute: " + rpm
                + " reached on this key (expected: at most " + rpm + " requests in any 60 s; retry after "
                + retryAfter + " s)", retryAfter);
    }

    public static LimitExceeded tokens(long tpm, long counted, long estimate, long retryAfter) {
        return new LimitExceeded(ErrorKind.RATE_LIMIT, "rate_limit_exceeded", "tokens per minute: " + counted
                + " counted in the last 60 s on this key, this request estimated at " + estimate
                + " (expected: at most " + tpm + " tokens in any 60 s; retry after " + retryAfter + " s)", retryAfter);
    }

    public static LimitExceeded concurrency(int max) {
        return new LimitExceeded(ErrorKind.RATE_LIMIT, "concurrency_limit_exceeded", "concurrent requests: " + max
                + " already in flight on this key (expected: at most " + max + " at once; retry when one ends)", 1);
    }

    public static LimitExceeded dailySpend(String cap, String committed, String needed, long retryAfter) {
        return new LimitExceeded(ErrorKind.INSUFFICIENT_QUOTA, "daily_spend_limit_reached", "daily spend: "
                + committed + " USD spent or held today (UTC), this request needs up to " + needed
                + " USD (expected: at most " + cap + " USD per day for this user; resets at 00:00 UTC)", retryAfter);
    }
}
