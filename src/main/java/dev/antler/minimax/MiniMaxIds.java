package dev.antler.minimax;

import java.security.SecureRandom;

/**
 * The gateway's MiniMax task ids: digit strings like MiniMax's own (clients store them as such, and a task's file
 * id, which is the same, as a 64-bit integer, as {@code files/retrieve} types it), unrelated to the upstream's:
 * 18 digits from a {@link SecureRandom}, the first not 0 (about 59 bits). A result link needs its own token
 * besides, so the id alone opens nothing.
 */
final class MiniMaxIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long LOWEST = 100_000_000_000_000_000L;

    private MiniMaxIds() {}

    static String next() {
        return Long.toString(LOWEST + RANDOM.nextLong(9 * LOWEST));
    }

    /** Whether {@code id} can be one of these ids (anything else is answered as unknown without a look). */
    static boolean plausible(String id) {
        return id != null && id.matches("[1-9]\\d{17}");
    }
}
