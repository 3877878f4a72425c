package dev.antler.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Group;
import dev.antler.accounts.Principal;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The limiter's arithmetic, with a clock moved by hand. */
class LimiterTest {

    private static final long USD = 1_000_000_000L;
    /** 12:00:00.000 UTC: a minute boundary, half a day from midnight. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final Limiter limiter = new Limiter(clock);
    private final Principal alice = principal(1, 10);

    private static Principal principal(long keyId, long userId) {
        ApiKey key = new ApiKey(keyId, userId, "k", "sk-…", Status.ACTIVE, null, null, 0, 0, Set.of(), 0, null);
        User user = new User(userId, "u" + userId, "default", Status.ACTIVE, 100 * USD, 0, 0, 0);
        return new Principal(key, user, Group.defaultGroup());
    }

    @Test
    void requestsPerMinuteSlideOverTheLastSixtySeconds() {
        limiter.setKeyLimits(1, new KeyLimits(3, null, null));
        limiter.admit(alice, 0, 0).settle(0, Usage.NONE);
        clock.advance(Duration.ofSeconds(20));
        limiter.admit(alice, 0, 0).settle(0, Usage.NONE);
        limiter.admit(alice, 0, 0).settle(0, Usage.NONE);

        LimitExceeded refused = catchThrowableOfType(LimitExceeded.class, () -> limiter.admit(alice, 0, 0));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("rate_limit_exceeded");
        // the first request leaves the window 40 s from now
        assertThat(refused.retryAfterSeconds()).isEqualTo(40);
        assertThat(refused.getMessage()).startsWith("requests per minute: 3 reached on this key (expected: at most 3");

        clock.advance(Duration.ofSeconds(39));
        assertThatThrownBy(() -> limiter.admit(alice, 0, 0)).isInstanceOf(LimitExceeded.class);
        clock.advance(Duration.ofSeconds(1));
        limiter.admit(alice, 0, 0);
    }

    @Test
    void anotherKeyHasItsOwnWindow() {
        limiter.setKeyLimits(1, new KeyLimits(1, null, null));
        limiter.admit(alice, 0, 0);
        assertThatThrownBy(() -> limiter.admit(alice, 0, 0)).isInstanceOf(LimitExceeded.class);
        limiter.admit(principal(2, 10), 0, 0);
    }

    @Test
    void tokensPerMinuteCountTheEstimateUntilSettlementCorrectsIt() {
        limiter.setKeyLimits(1, new KeyLimits(null, 1000L, null));
        Admission first = limiter.admit(alice, 600, 0);
        // 600 estimated + 600 more would pass 1000
        assertThatThrownBy(() -> limiter.admit(alice, 600, 0)).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("tokens per minute: 600 counted in the last 60 s on this key, "
                        + "this request estimated at 600 (expected: at most 1000");
        first.settle(0, Usage.tokens(100, 50));   // really 150
        Admission second = limiter.admit(alice, 600, 0);
        second.settle(0, Usage.tokens(300, 500)); // 150 + 800 = 950 counted
        assertThatThrownBy(() -> limiter.admit(alice, 100, 0)).isInstanceOf(LimitExceeded.class);
        limiter.admit(alice, 50, 0);
    }

    @Test
    void aRequestLargerThanTheWholeTokenLimitPassesAnEmptyWindowOnly() {
        limiter.setKeyLimits(1, new KeyLimits(null, 100L, null));
        limiter.admit(alice, 5000, 0).settle(0, Usage.tokens(5000, 10));
        LimitExceeded refused = catchThrowableOfType(LimitExceeded.class, () -> limiter.admit(alice, 5000, 0));
        assertThat(refused.retryAfterSeconds()).isEqualTo(60);
        clock.advance(Duration.ofSeconds(60));
        limiter.admit(alice, 5000, 0);
    }

    @Test
    void concurrencySlotsAreReleasedOnceWhenTheRequestSettles() {
        limiter.setKeyLimits(1, new KeyLimits(null, null, 2));
        Admission first = limiter.admit(alice, 0, 0);
        Admission second = limiter.admit(alice, 0, 0);
        LimitExceeded refused = catchThrowableOfType(LimitExceeded.class, () -> limiter.admit(alice, 0, 0));
        assertThat(refused.code()).isEqualTo("concurrency_limit_exceeded");
        assertThat(limiter.inFlight(1)).isEqualTo(2);

        first.settle(0, Usage.NONE);
        first.settle(0, Usage.NONE);
        first.cancel();
        assertThat(limiter.inFlight(1)).isEqualTo(1);
        limiter.admit(alice, 0, 0);
        assertThatThrownBy(() -> limiter.admit(alice, 0, 0)).isInstanceOf(LimitExceeded.class);
        second.cancel();
        assertThat(limiter.inFlight(1)).isEqualTo(1);
    }

    @Test
    void aCancelledAdmissionDoesNotCountAsARequest() {
        limiter.setKeyLimits(1, new KeyLimits(1, 10L, 1));
        limiter.admit(alice, 10, 0).cancel();
        limiter.admit(alice, 10, 0);
    }

    @Test
    void theDailyCapCountsHoldsInFlightAndChargesAndResetsAtMidnightUtc() {
        limiter.setDailyCap(10, 1 * USD);
        Admission held = limiter.admit(alice, 0, USD / 2);
        limiter.admit(alice, 0, USD / 4).settle(USD / 5, Usage.NONE);
        // 0.5 held + 0.2 spent: 0.3 left
        LimitExceeded refused = catchThrowableOfType(LimitExceeded.class, () -> limiter.admit(alice, 0, USD * 4 / 10));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("daily_spend_limit_reached");
        assertThat(refused.getMessage()).isEqualTo("daily spend: 0.70 USD spent or held today (UTC), this request needs "
                + "up to 0.40 USD (expected: at most 1.00 USD per day for this user; resets at 00:00 UTC)");
        assertThat(refused.retryAfterSeconds()).isEqualTo(12 * 3600);
        held.settle(USD / 10, Usage.NONE);
        limiter.admit(alice, 0, USD * 4 / 10).cancel();
        assertThat(limiter.spentToday(10)).isEqualTo(USD * 3 / 10);

        limiter.admit(alice, 0, USD * 7 / 10);
        assertThatThrownBy(() -> limiter.admit(alice, 0, 1)).isInstanceOf(LimitExceeded.class);
        clock.advance(Duration.ofHours(12));
        assertThat(limiter.spentToday(10)).isZero();
        // the 0.7 still held yesterday counts until it settles
        limiter.admit(alice, 0, USD * 3 / 10);
        assertThatThrownBy(() -> limiter.admit(alice, 0, 1)).isInstanceOf(LimitExceeded.class);
    }

    @Test
    void withoutLimitsEverythingIsAdmittedAndStillCounted() {
        List<Admission> open = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            open.add(limiter.admit(alice, 1000, USD));
        }
        assertThat(limiter.inFlight(1)).isEqualTo(1000);
        limiter.setKeyLimits(1, new KeyLimits(1000, null, null));
        assertThatThrownBy(() -> limiter.admit(alice, 0, 0)).isInstanceOf(LimitExceeded.class);
        open.forEach(a -> a.settle(0, Usage.NONE));
        assertThat(limiter.inFlight(1)).isZero();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new KeyLimits(0, null, null)).hasMessage(
                "rpm_limit: 0 (expected: a whole number > 0, or absent for no limit)");
    }

    @Test
    void thePrecheckRefusesWhatAdmitWouldRefuseForAnyRequestAndCountsNothing() {
        limiter.setKeyLimits(1, new KeyLimits(2, null, 1));
        limiter.precheck(alice, 1); // nothing counted yet
        limiter.precheck(alice, 1);
        Admission first = limiter.admit(alice, 0, 0);
        assertThat(limiter.inFlight(1)).isEqualTo(1);

        LimitExceeded busy = catchThrowableOfType(LimitExceeded.class, () -> limiter.precheck(alice, 1));
        assertThat(busy.code()).isEqualTo("concurrency_limit_exceeded");
        first.settle(0, Usage.NONE);
        limiter.precheck(alice, 1);
        limiter.admit(alice, 0, 0).settle(0, Usage.NONE); // the second of two per minute: prechecks did not count
        assertThat(catchThrowableOfType(LimitExceeded.class, () -> limiter.precheck(alice, 1)).code())
                .isEqualTo("rate_limit_exceeded");
    }

    @Test
    void thePrecheckRefusesAUserWhoseDailyCapHasNoRoomForTheSmallestHold() {
        limiter.setDailyCap(10, USD);
        limiter.admit(alice, 0, USD).settle(USD, Usage.NONE);

        LimitExceeded capped = catchThrowableOfType(LimitExceeded.class, () -> limiter.precheck(alice, 1));
        assertThat(capped.code()).isEqualTo("daily_spend_limit_reached");
        limiter.precheck(alice, 0); // a free request still passes, as admit would let it
    }
}
