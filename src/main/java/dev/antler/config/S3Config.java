package dev.antler.config;

/**
 * An S3-compatible bucket for mirrored files ({@code mirror.s3}): AWS S3, MinIO, Cloudflare R2, Backblaze B2 and
 * the like. With it, mirrored images and result copies are kept in the bucket instead of {@code mirror.directory}
 * (which then holds only downloads in progress), so every instance sharing the bucket sees the same copies. The
 * keys are secrets: give them as {@code ${ENV}} references or {@code ANTLER_MIRROR_S3_*} variables; they are never
 * logged nor shown (see {@link #toString()}).
 *
 * @param endpoint  the S3 API's base URL, e.g. {@code https://<account>.r2.cloudflarestorage.com} or
 *                  {@code http://minio:9000}; default: AWS S3 for the region
 * @param region    the signing region (default {@code us-east-1}; R2: {@code auto})
 * @param bucket    the bucket (it must exist)
 * @param prefix    the folder inside the bucket for the gateway's objects (default {@code antler/}); the retention
 *                  sweep deletes old objects there, so it is the gateway's alone
 * @param accessKey the access key id
 * @param secretKey the secret access key
 * @param pathStyle {@code true}: {@code <endpoint>/<bucket>/<key>} URLs (MinIO, most self-hosted servers);
 *                  default {@code false}: {@code <bucket>.<endpoint host>/<key>}
 */
public record S3Config(String endpoint, String region, String bucket, String prefix, String accessKey,
                       String secretKey, Boolean pathStyle) {

    public S3Config {
        endpoint = blankToNull(endpoint) == null ? null : endpoint.strip().replaceAll("/$", "");
        region = blankToNull(region) == null ? "us-east-1" : region.strip();
        prefix = blankToNull(prefix) == null ? "antler/" : prefix.strip().endsWith("/") ? prefix.strip() : prefix.strip() + "/";
        pathStyle = pathStyle != null && pathStyle;
        accessKey = blankToNull(accessKey) == null ? null : accessKey.strip();
        secretKey = blankToNull(secretKey) == null ? null : secretKey.strip();
    }

    /**
     * Checks the section (called by {@link MirrorConfig}, once the whole section is read: an unknown key is
     * reported first); the messages never show a key.
     */
    void check() {
        if (endpoint != null && !endpoint.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?|https?://\\[[0-9a-fA-F:]+](:\\d{1,5})?")) {
            throw new IllegalArgumentException("mirror.s3.endpoint: " + endpoint
                    + " (expected: an http:// or https:// URL without path or query, such as https://s3.example.com)");
        }
        if (!region.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("mirror.s3.region: " + region
                    + " (expected: a region name such as us-east-1, or auto for R2)");
        }
        if (bucket == null || !bucket.matches("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]")) {
            throw new IllegalArgumentException("mirror.s3.bucket: " + bucket
                    + " (expected: an existing bucket's name, 3 to 63 letters, digits, dots and dashes)");
        }
        if (!prefix.matches("([A-Za-z0-9._-]+/)+") || prefix.matches("(.*/)?\\.{1,2}/.*")) {
            throw new IllegalArgumentException("mirror.s3.prefix: " + prefix
                    + " (expected: folder names of letters, digits, dots, dashes and underscores, such as antler/)");
        }
        if (accessKey == null || secretKey == null) {
            throw new IllegalArgumentException("mirror.s3.access_key / secret_key: "
                    + (accessKey == null ? "missing" : "set") + " / " + (secretKey == null ? "missing" : "set")
                    + " (expected: both, e.g. access_key: ${S3_ACCESS_KEY}, secret_key: ${S3_SECRET_KEY})");
        }
    }

    /** Where the bucket is, for logs: never the keys. */
    public String describe() {
        return "bucket " + bucket + " (prefix " + prefix + ") at "
                + (endpoint == null ? "AWS S3 " + region : endpoint);
    }

    /** Without the keys: a record's default text would show them. */
    @Override
    public String toString() {
        return "S3Config[" + describe() + ", path_style=" + pathStyle + ", keys hidden]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
