package dev.antler.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every key (client, admin or upstream) the test suite handed to a gateway, so the log leak scan
 * can search the suite's log for each of them.
 */
public final class SuiteSecrets {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private SuiteSecrets() {}

    /** Records {@code secret}; an empty or very short value (not a key) is ignored. */
    public static void record(String secret) {
        if (secret != null) {
            String bare = secret.startsWith("Bearer ") ? secret.substring(7) : secret;
            if (bare.strip().length() >= 10) {
                SECRETS.add(bare.strip());
            }
        }
    }

    public static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
