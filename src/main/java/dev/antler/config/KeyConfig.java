package dev.antler.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * An API key seeded from the config file; stored only as a hash.
 *
 * @param models     models the key may use (empty: all that its group serves)
 * @param spendLimit USD the key may spend in total (absent: no limit beyond the user's balance)
 * @param expiresAt  ISO-8601 instant after which the key is refused (absent: never)
 * @param rpmLimit   requests per minute (absent: no limit)
 * @param tpmLimit   tokens per minute, input and output (absent: no limit)
 * @param maxConcurrent requests in flight at once (absent: no limit)
 */
public record KeyConfig(String name, String key, List<String> models, BigDecimal spendLimit, String expiresAt,
                        Integer rpmLimit, Long tpmLimit, Integer maxConcurrent) {

    public KeyConfig {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("users[].keys[].key: " + key + " (expected: the key in plain text)");
        }
        name = name == null ? "default" : name;
        models = models == null ? List.of() : List.copyOf(models);
        positive("rpm_limit", rpmLimit == null ? null : rpmLimit.longValue());
        positive("tpm_limit", tpmLimit);
        positive("max_concurrent", maxConcurrent == null ? null : maxConcurrent.longValue());
    }

    private static void positive(String field, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException("users[].keys[]." + field + ": " + value
                    + " (expected: a whole number > 0, or absent for no limit)");
        }
    }
}
