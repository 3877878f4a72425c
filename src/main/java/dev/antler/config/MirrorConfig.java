package dev.antler.config;

/**
 * Result mirroring: result images of the families that support it (Ideogram, whose own URLs expire
 * within about a day) are downloaded into the gateway's storage before the answer is returned, and
 * their {@code url} rewritten to a stable gateway URL under {@code /files/}; completed videos (the Videos
 * API, whose content Sora keeps for hours) are copied in the background and served from the copy.
 *
 * @param enabled           off unless set (default false)
 * @param directory         where mirrored files are kept (default {@code data/files})
 * @param retentionHours    how long a mirrored file is kept and served (default 168, a week)
 * @param publicBaseUrl     the gateway's external base URL for rewritten links, e.g.
 *                          {@code https://ai.example.com}; default: from the request's Host header
 * @param maxFileBytes      largest file mirrored (default 32 MiB); a larger one keeps its original URL
 * @param downloadTimeoutMs longest one download may take (default 30000)
 * @param maxVideoBytes     largest video (or its thumbnail) copied (default 512 MiB); a larger one is served
 *                          from the upstream while the upstream keeps it
 * @param videoTimeoutMs    longest one video copy may take (default 600000, ten minutes)
 * @param s3                an S3-compatible bucket to keep the files in (default: none, they are kept in
 *                          {@code directory}; with a bucket, {@code directory} holds only downloads in progress)
 */
public record MirrorConfig(Boolean enabled, String directory, Long retentionHours, String publicBaseUrl,
                           Long maxFileBytes, Integer downloadTimeoutMs, Long maxVideoBytes, Integer videoTimeoutMs,
                           S3Config s3) {

    /** The largest object one S3 PUT may carry (5 GiB): a copy is uploaded whole, in one request. */
    public static final long MAX_BUCKET_OBJECT = 5L * 1024 * 1024 * 1024;

    public MirrorConfig {
        enabled = enabled != null && enabled;
        directory = directory == null || directory.isBlank() ? "data/files" : directory;
        retentionHours = retentionHours == null ? 168L : retentionHours;
        maxFileBytes = maxFileBytes == null ? 32L * 1024 * 1024 : maxFileBytes;
        downloadTimeoutMs = downloadTimeoutMs == null ? 30_000 : downloadTimeoutMs;
        maxVideoBytes = maxVideoBytes == null ? 512L * 1024 * 1024 : maxVideoBytes;
        videoTimeoutMs = videoTimeoutMs == null ? 600_000 : videoTimeoutMs;
        publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.strip();
        if (retentionHours <= 0) {
            throw new IllegalArgumentException("mirror.retention_hours: " + retentionHours + " (expected: > 0)");
        }
        if (maxFileBytes <= 0 || downloadTimeoutMs <= 0) {
            throw new IllegalArgumentException("mirror.max_file_bytes / download_timeout_ms: " + maxFileBytes + " / "
                    + downloadTimeoutMs + " (expected: > 0 / > 0)");
        }
        if (maxVideoBytes <= 0 || videoTimeoutMs <= 0) {
            throw new IllegalArgumentException("mirror.max_video_bytes / video_timeout_ms: " + maxVideoBytes + " / "
                    + videoTimeoutMs + " (expected: > 0 / > 0)");
        }
        if (publicBaseUrl != null && !publicBaseUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new IllegalArgumentException("mirror.public_base_url: " + publicBaseUrl
                    + " (expected: an http:// or https:// URL without query, such as https://ai.example.com)");
        }
        if (s3 != null) {
            s3.check();
        }
        if (s3 != null && Math.max(maxFileBytes, maxVideoBytes) > MAX_BUCKET_OBJECT) {
            throw new IllegalArgumentException("mirror.max_file_bytes / max_video_bytes: " + maxFileBytes + " / "
                    + maxVideoBytes + " (expected: at most " + MAX_BUCKET_OBJECT + " each with mirror.s3: a copy is "
                    + "uploaded in one request)");
        }
    }

    public static MirrorConfig defaults() {
        return new MirrorConfig(null, null, null, null, null, null, null, null, null);
    }
}
