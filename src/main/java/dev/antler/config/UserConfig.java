package dev.antler.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * A user seeded from the config file. {@code balance} is the opening balance, credited once when the
 * user is first created; later runs never reset it (that would erase what was spent).
 * {@code dailySpendLimit} caps what the user may spend per UTC day, in USD (absent: no cap).
 */
public record UserConfig(String name, String group, BigDecimal balance, List<KeyConfig> keys,
                         BigDecimal dailySpendLimit) {

    public UserConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("users[].name: " + name + " (expected: a non-empty name)");
        }
        group = group == null ? "default" : group;
        balance = balance == null ? BigDecimal.ZERO : balance;
        keys = keys == null ? List.of() : List.copyOf(keys);
        if (dailySpendLimit != null && dailySpendLimit.signum() < 0) {
            throw new IllegalArgumentException("users." + name + ".daily_spend_limit: " + dailySpendLimit
                    + " (expected: USD >= 0, or absent for no cap)");
        }
    }
}
