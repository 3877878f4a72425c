package dev.antler.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When Redis counts as lost and when as back ({@link RedisVerdict}), at given times: late answers are a loss only
 * when they go on, a refused connection at once; back after an outage only after pings in a row in time.
 */
class RedisVerdictTest {

    private static final boolean LATE = true;
    private static final boolean REFUSED = false;

    private final RedisVerdict verdict = new RedisVerdict(250);

    @Test
    void lateAnswersAtOneMomentAreNoLoss() {
        verdict.up();
        for (int i = 0; i < 20; i++) {
            assertThat(verdict.noAnswer(LATE, 10_000)).as("late answer %d, all at one moment", i).isFalse();
        }
    }

    @Test
    void lateAnswersThatGoOnForTheSpanWithNoneInTimeAreALoss() {
        verdict.up();
        assertThat(verdict.lateSpanMs()).isEqualTo(1_000);
        assertThat(verdict.noAnswer(LATE, 10_000)).isFalse();
        assertThat(verdict.noAnswer(LATE, 10_500)).isFalse();
        assertThat(verdict.noAnswer(LATE, 10_999)).as("three late, over less than the span").isFalse();
        assertThat(verdict.noAnswer(LATE, 11_000)).isTrue();
    }

    @Test
    void anAnswerInTimeBetweenLateOnesStartsTheCountAgain() {
        verdict.up();
        verdict.noAnswer(LATE, 10_000);
        verdict.noAnswer(LATE, 10_600);
        verdict.answered();
        assertThat(verdict.noAnswer(LATE, 11_200)).isFalse();
        assertThat(verdict.noAnswer(LATE, 11_800)).isFalse();
        assertThat(verdict.noAnswer(LATE, 12_199)).isFalse();
        assertThat(verdict.noAnswer(LATE, 12_200)).isTrue();
    }

    @Test
    void aRefusedConnectionIsALossAtOnce() {
        verdict.up();
        assertThat(verdict.noAnswer(REFUSED, 10_000)).isTrue();
    }

    @Test
    void theSpanIsFourTimeoutsWhenThatIsLonger() {
        assertThat(new RedisVerdict(1_000).lateSpanMs()).isEqualTo(4_000);
    }

    @Test
    void afterAnOutageRedisIsBackOnlyAfterPingsInARowInTime() {
        verdict.up();
        verdict.noAnswer(REFUSED, 10_000);
        assertThat(verdict.pinged(true)).isFalse();
        assertThat(verdict.pinged(true)).isFalse();
        assertThat(verdict.pinged(false)).as("a late ping starts the count again").isFalse();
        assertThat(verdict.pinged(true)).isFalse();
        verdict.pingFailed();
        for (int i = 1; i < RedisVerdict.HEALTHY_PINGS; i++) {
            assertThat(verdict.pinged(true)).isFalse();
        }
        assertThat(verdict.pinged(true)).isTrue();
    }

    @Test
    void theFirstConnectionCountsAtItsFirstAnswer() {
        assertThat(verdict.pinged(false)).isTrue();
    }
}
