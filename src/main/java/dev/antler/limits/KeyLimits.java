package dev.antler.limits;

/**
 * The rate limits of one API key; a null component means no limit of that kind.
 *
 * @param rpm           requests admitted in any 60 seconds
 * @param tpm           tokens (input + output) counted in any 60 seconds
 * @param maxConcurrent requests in flight at once
 */
public record KeyLimits(Integer rpm, Long tpm, Integer maxConcurrent) {

    public static final KeyLimits NONE = new KeyLimits(null, null, null);

    public KeyLimits {
        positive("rpm_limit", rpm == null ? null : rpm.longValue());
        positive("tpm_limit", tpm);
        positive("max_concurrent", maxConcurrent == null ? null : maxConcurrent.longValue());
    }

    public boolean isNone() {
        return rpm == null && tpm == null && maxConcurrent == null;
    }

    private static void positive(String name, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a whole number > 0, or absent for no limit)");
        }
    }
}
