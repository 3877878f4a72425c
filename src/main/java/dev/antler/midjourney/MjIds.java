package dev.antler.midjourney;

import java.security.SecureRandom;

/**
 * Public task ids: digit strings like midjourney-proxy's (clients may expect digits), unrelated to the
 * upstream's. A task id alone opens {@code /mj/image/{id}} (no key, as in the protocol), so it must not be
 * guessable: after the 13-digit submit time come 19 digits from a {@link SecureRandom} (about 63 bits), so
 * knowing when a task was made does not help find its id.
 */
final class MjIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MjIds() {}

    static String next(long now) {
        long random = RANDOM.nextLong() & Long.MAX_VALUE;
        return String.format("%013d%019d", now, random);
    }
}
