package dev.antler.config;

import java.util.List;

/**
 * The web console's accounts and sessions (the self-service API under {@code /api/user/} and the session
 * endpoints under {@code /api/session}).
 *
 * @param sessionIdleMinutes       a session unused this long ends (default 720: 12 hours)
 * @param sessionAbsoluteMinutes   a session ends this long after sign-in, used or not (default 10080: 7 days)
 * @param openSignup               whether anyone may create an account with {@code POST /api/signup} without an
 *                                 invite (default false)
 * @param trustedProxies           peer addresses whose {@code X-Forwarded-Proto} and {@code X-Forwarded-For} are
 *                                 believed: the cookie is marked Secure behind a TLS-terminating proxy, and sign-in
 *                                 limits count the client's address (default loopback: 127.0.0.1 and ::1)
 * @param maxKeysPerUser           how many active keys a user may hold, created by themselves or not (default 10)
 * @param signInFailures           failed sign-ins within the window after which an account, or an address (four
 *                                 times as many), is refused until the window passes (default 5)
 * @param signInWindowSeconds      the window failed sign-ins are counted in (default 900)
 * @param publicBaseUrl            the console's address as users reach it, for invite links (default: the address
 *                                 the request came to)
 */
public record ConsoleConfig(Long sessionIdleMinutes, Long sessionAbsoluteMinutes, Boolean openSignup,
                            List<String> trustedProxies, Integer maxKeysPerUser, Integer signInFailures,
                            Long signInWindowSeconds, String publicBaseUrl) {

    public ConsoleConfig {
        sessionIdleMinutes = sessionIdleMinutes == null ? 720L : sessionIdleMinutes;
        sessionAbsoluteMinutes = sessionAbsoluteMinutes == null ? 10_080L : sessionAbsoluteMinutes;
        openSignup = openSignup != null && openSignup;
        trustedProxies = trustedProxies == null ? List.of("127.0.0.1", "::1") : List.copyOf(trustedProxies);
        maxKeysPerUser = maxKeysPerUser == null ? 10 : maxKeysPerUser;
        signInFailures = signInFailures == null ? 5 : signInFailures;
        signInWindowSeconds = signInWindowSeconds == null ? 900L : signInWindowSeconds;
        publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.strip();
        if (sessionIdleMinutes < 1 || sessionAbsoluteMinutes < 1) {
            throw new IllegalArgumentException("console.session_idle_minutes / session_absolute_minutes: "
                    + sessionIdleMinutes + " / " + sessionAbsoluteMinutes + " (expected: each >= 1)");
        }
        if (maxKeysPerUser < 0) {
            throw new IllegalArgumentException("console.max_keys_per_user: " + maxKeysPerUser + " (expected: >= 0)");
        }
        if (signInFailures < 1 || signInWindowSeconds < 1) {
            throw new IllegalArgumentException("console.sign_in_failures / sign_in_window_seconds: " + signInFailures
                    + " / " + signInWindowSeconds + " (expected: each >= 1)");
        }
    }

    public static ConsoleConfig defaults() {
        return new ConsoleConfig(null, null, null, null, null, null, null, null);
    }
}
