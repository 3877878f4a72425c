package dev.antler.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generating, hashing and hinting API keys. Keys are high-entropy, so one SHA-256 is enough. */
public final class ApiKeys {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** A new key: {@code sk-} and 48 random base-62 characters (about 285 bits). */
    public static String generate() {
        char[] out = new char[48];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "sk-" + new String(out);
    }

    public static String hash(String key) {
        // digest() resets the instance for the next use; one per thread saves the provider lookup per request
        return HexFormat.of().formatHex(SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    /** Constant-time comparison of two key hashes. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** Never more than this many characters of a key are shown. */
    static final int MAX_HINT_CHARACTERS = 4;

    /**
     * The one display form of a key (clients' and upstreams'): its last characters after an ellipsis,
     * {@code …wxyz}. It shows at most {@value #MAX_HINT_CHARACTERS} characters and never more than a
     * quarter of the key, so a short key is not mostly given away; a key under 4 characters shows none.
     */
    public static String hint(String key) {
        int shown = Math.min(MAX_HINT_CHARACTERS, key.length() / 4);
        return "…" + key.substring(key.length() - shown);
    }
}
