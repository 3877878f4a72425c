package dev.antler.app;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKeys;
import java.util.Optional;

/**
 * The admin key, kept only as a hash in the store. A key in the config file replaces the stored one;
 * without one, a key is generated on first start and returned once so it can be printed.
 */
public final class AdminKey {

    static final String SETTING = "admin_key_hash";

    private final String hash;

    private AdminKey(String hash) {
        this.hash = hash;
    }

    /** Returns the admin key and, when it was just generated, its plain text (to print once). */
    static Established establish(AccountStore accounts, String configuredKey) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            String hash = ApiKeys.hash(configuredKey);
            if (!accounts.setting(SETTING).map(hash::equals).orElse(false)) {
                accounts.putSetting(SETTING, hash);
            }
            return new Established(new AdminKey(hash), Optional.empty());
        }
        Optional<String> stored = accounts.setting(SETTING);
        if (stored.isPresent()) {
            return new Established(new AdminKey(stored.get()), Optional.empty());
        }
        String generated = "sk-admin-" + ApiKeys.generate().substring(3);
        accounts.putSetting(SETTING, ApiKeys.hash(generated));
        return new Established(new AdminKey(ApiKeys.hash(generated)), Optional.of(generated));
    }

    /** Constant-time check of a presented key. */
    public boolean matches(String presented) {
        return presented != null && ApiKeys.sameHash(ApiKeys.hash(presented), hash);
    }

    record Established(AdminKey key, Optional<String> generatedPlainText) {}
}
