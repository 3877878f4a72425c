package dev.antler.billing;

/**
 * One row of the usage log: what a request asked for, where it went, what it consumed and cost, and
 * how it ended.
 *
 * @param channelId   the channel that answered (or was tried last), null if none was tried
 * @param firstByteMs time to the first byte of the upstream answer, null if none came
 * @param endReason   complete, client_gone, upstream_cut, timeout, rejected or error
 * @param billedBasis reported (upstream usage), estimated (tokenizer), request (units from the request) or none
 * @param attemptLog  each attempt's channel, status and error as a JSON array, null when there was none
 */
public record UsageRecord(String requestId, long createdAt, long userId, long keyId, String endpoint, String model,
                          String upstreamModel, Long channelId, int statusCode, boolean stream, Usage usage,
                          long costNanos, long latencyMs, Long firstByteMs, String endReason, String billedBasis,
                          int attempts, String error, String attemptLog) {

    /** A record without an attempt log. */
    public UsageRecord(String requestId, long createdAt, long userId, long keyId, String endpoint, String model,
                       String upstreamModel, Long channelId, int statusCode, boolean stream, Usage usage,
                       long costNanos, long latencyMs, Long firstByteMs, String endReason, String billedBasis,
                       int attempts, String error) {
        this(requestId, createdAt, userId, keyId, endpoint, model, upstreamModel, channelId, statusCode, stream, usage,
                costNanos, latencyMs, firstByteMs, endReason, billedBasis, attempts, error, null);
    }
}
