package dev.antler.accounts;

import java.util.Set;

/**
 * An API key as stored: only the hash of the secret and a short hint for display.
 *
 * @param expiresAt       epoch ms after which the key is refused, or null for never
 * @param spendLimitNanos total spend allowed on this key, or null for no limit
 * @param allowedModels   models the key may use; empty means every model of the user's group
 */
public record ApiKey(long id, long userId, String name, String hint, Status status, Long expiresAt,
                     Long spendLimitNanos, long usedNanos, long requestCount, Set<String> allowedModels,
                     long createdAt, Long lastUsedAt) {

    public boolean allows(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }

    public boolean expiredAt(long nowMillis) {
        return expiresAt != null && nowMillis >= expiresAt;
    }
}
