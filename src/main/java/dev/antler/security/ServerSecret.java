package dev.antler.security;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.AccountStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's own secret: 256 random bits made on the first start and kept in the store's settings (shared by
 * every instance on that store, unchanged by restarts). Secrets handed to users are derived from it
 * ({@link #derive}), so none of them needs a row of its own; changing it (deleting the setting) changes them all.
 */
public final class ServerSecret {

    static final String SETTING = "server_secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    public ServerSecret(byte[] key) {
        requireNonNull(key, "key");
        if (key.length < 32) {
            throw new IllegalArgumentException("key: " + key.length + " bytes (expected: at least 32)");
        }
        this.key = key.clone();
    }

    /** The stored secret, made and stored first when there is none. */
    public static ServerSecret establish(AccountStore accounts) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        String stored = accounts.putSettingIfAbsent(SETTING, Base64.getEncoder().encodeToString(fresh));
        return new ServerSecret(Base64.getDecoder().decode(stored));
    }

    /**
     * 32 bytes for {@code subject} in {@code purpose} (e.g. a user's webhook signing key): HMAC-SHA256 of both under
     * the secret. The same inputs give the same bytes; nobody without the secret can compute them.
     */
    public byte[] derive(String purpose, String subject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal((purpose + "\n" + subject).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "ServerSecret[hidden]";
    }
}
