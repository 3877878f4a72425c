package dev.antler.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import dev.antler.testing.ManualClock;
import org.junit.jupiter.api.Test;

/** The sign-in limit per account and per address, on a manual clock. */
class SignInLimiterTest {

    @Test
    void anAccountIsRefusedAfterItsFailuresUntilTheWindowPasses() {
        ManualClock clock = ManualClock.now();
        SignInLimiter limiter = new SignInLimiter(clock, 2, 60_000);
        limiter.check("user:a", "10.0.0.1");
        limiter.failed("user:a", "10.0.0.1");
        limiter.failed("user:a", "10.0.0.2");
        assertThatThrownBy(() -> limiter.check("user:a", "10.0.0.3"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfterSeconds()).isEqualTo(60);
                });
        clock.advanceSeconds(59);
        assertThatThrownBy(() -> limiter.check("user:a", "10.0.0.3")).isInstanceOf(GatewayException.class);
        clock.advanceSeconds(1);
        limiter.check("user:a", "10.0.0.3");
    }

    @Test
    void anAddressTryingManyAccountsIsRefusedAfterFourTimesAsMany() {
        ManualClock clock = ManualClock.now();
        SignInLimiter limiter = new SignInLimiter(clock, 2, 60_000);
        for (int i = 0; i < 8; i++) {
            limiter.check("user:u" + i, "10.0.0.9");
            limiter.failed("user:u" + i, "10.0.0.9");
        }
        assertThatThrownBy(() -> limiter.check("user:fresh", "10.0.0.9")).isInstanceOf(GatewayException.class);
        limiter.check("user:fresh", "10.0.0.10");
    }

    @Test
    void aSuccessClearsTheAccountsCount() {
        SignInLimiter limiter = new SignInLimiter(ManualClock.now(), 2, 60_000);
        limiter.failed("user:b", "10.0.0.1");
        limiter.succeeded("user:b");
        limiter.failed("user:b", "10.0.0.1");
        limiter.check("user:b", "10.0.0.1");
    }
}
