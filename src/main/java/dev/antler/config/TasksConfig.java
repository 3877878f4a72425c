package dev.antler.config;

/**
 * The async task engine (Midjourney and the other submit-then-poll families).
 *
 * @param pollIntervalMs      how often unfinished tasks are polled upstream (default 5000)
 * @param timeoutSeconds      a task unfinished this long after submit is failed and refunded (default 3600)
 * @param leaseMs             how long the poller lease lasts; another instance takes over when it expires
 *                            (default 30000)
 * @param maxBackoffMs        longest pause of polling a channel that answers 429 (default 60000)
 * @param webhookAttempts     deliveries tried per webhook before giving up (default 4)
 * @param webhookBackoffMs    pause before the first webhook retry, doubled each time (default 1000)
 * @param imageMaxBytes       largest result image the image proxy relays (default 33554432, 32 MiB)
 * @param imageTimeoutMs      longest the image proxy waits for a whole image (default 60000)
 * @param imageWaitSeconds    longest {@code POST /v1/images/generations} waits for an async family's image before
 *                            answering 504 with the task id to fetch (default 120)
 */
public record TasksConfig(Integer pollIntervalMs, Integer timeoutSeconds, Integer leaseMs, Integer maxBackoffMs,
                          Integer webhookAttempts, Integer webhookBackoffMs, Integer imageMaxBytes,
                          Integer imageTimeoutMs, Integer imageWaitSeconds) {

    public TasksConfig {
        pollIntervalMs = pollIntervalMs == null ? 5000 : pollIntervalMs;
        timeoutSeconds = timeoutSeconds == null ? 3600 : timeoutSeconds;
        leaseMs = leaseMs == null ? 30_000 : leaseMs;
        maxBackoffMs = maxBackoffMs == null ? 60_000 : maxBackoffMs;
        webhookAttempts = webhookAttempts == null ? 4 : webhookAttempts;
        webhookBackoffMs = webhookBackoffMs == null ? 1000 : webhookBackoffMs;
        imageMaxBytes = imageMaxBytes == null ? 32 * 1024 * 1024 : imageMaxBytes;
        imageTimeoutMs = imageTimeoutMs == null ? 60_000 : imageTimeoutMs;
        imageWaitSeconds = imageWaitSeconds == null ? 120 : imageWaitSeconds;
        if (pollIntervalMs <= 0 || timeoutSeconds <= 0 || leaseMs <= 0 || maxBackoffMs <= 0) {
            throw new IllegalArgumentException("tasks.poll_interval_ms / timeout_seconds / lease_ms / max_backoff_ms: "
                    + pollIntervalMs + " / " + timeoutSeconds + " / " + leaseMs + " / " + maxBackoffMs
                    + " (expected: all > 0)");
        }
        if (webhookAttempts < 1 || webhookBackoffMs < 0) {
            throw new IllegalArgumentException("tasks.webhook_attempts / webhook_backoff_ms: " + webhookAttempts
                    + " / " + webhookBackoffMs + " (expected: >= 1 / >= 0)");
        }
        if (imageWaitSeconds < 0) {
            throw new IllegalArgumentException("tasks.image_wait_seconds: " + imageWaitSeconds + " (expected: >= 0)");
        }
        if (imageMaxBytes <= 0 || imageTimeoutMs <= 0) {
            throw new IllegalArgumentException("tasks.image_max_bytes / image_timeout_ms: " + imageMaxBytes + " / "
                    + imageTimeoutMs + " (expected: both > 0)");
        }
    }

    public static TasksConfig defaults() {
        return new TasksConfig(null, null, null, null, null, null, null, null, null);
    }
}
