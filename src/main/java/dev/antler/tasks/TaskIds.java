package dev.antler.tasks;

import java.security.SecureRandom;

/**
 * Public task ids: {@code task_} and 32 characters from a {@link SecureRandom} (about 190 bits), unrelated to
 * the upstream's id. Some result links open with the id alone, so it must not be guessable.
 */
public final class TaskIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private TaskIds() {}

    public static String next() {
        char[] id = new char[32];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "task_" + new String(id);
    }
}
