package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsdTest {

    @Test
    void parsesDecimalDollarsIntoNanos() {
        assertThat(Usd.parse("10.00")).isEqualTo(10_000_000_000L);
        assertThat(Usd.parse("0.15")).isEqualTo(150_000_000L);
        assertThat(Usd.parse("1e-3")).isEqualTo(1_000_000L);
        assertThat(Usd.parse(" 2 ")).isEqualTo(2_000_000_000L);
        assertThat(Usd.parse("-0.5")).isEqualTo(-500_000_000L);
        assertThat(Usd.parse("0.000000001")).isEqualTo(1L);
        assertThat(Usd.parse("0")).isZero();
        assertThat(Usd.parse("9223372036.854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesWhatIsNotAnExactAmount() {
        assertThatThrownBy(() -> Usd.parse("ten"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amount: ten (expected: a decimal number of USD)");
        assertThatThrownBy(() -> Usd.parse("0.0000000001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amount: 0.0000000001 (expected: at most 9 decimal places, within ±9.2e9 USD)");
        assertThatThrownBy(() -> Usd.parse("9223372036.854775808"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amount: 9223372036.854775808 (expected: at most 9 decimal places, within ±9.2e9 USD)");
    }

    @Test
    void convertsExactBigDecimals() {
        assertThat(Usd.fromDecimal(new BigDecimal("0.60"))).isEqualTo(600_000_000L);
        assertThat(Usd.fromDecimal(new BigDecimal("1E+2"))).isEqualTo(100_000_000_000L);
    }

    @Test
    void formatsWithAtLeastTwoDecimals() {
        assertThat(Usd.format(10_000_000_000L)).isEqualTo("10.00");
        assertThat(Usd.format(1_500_000_000L)).isEqualTo("1.50");
        assertThat(Usd.format(150_000L)).isEqualTo("0.00015");
        assertThat(Usd.format(0)).isEqualTo("0.00");
        assertThat(Usd.format(1)).isEqualTo("0.000000001");
        assertThat(Usd.format(-1)).isEqualTo("-0.000000001");
        assertThat(Usd.format(-2_500_000_000L)).isEqualTo("-2.50");
        assertThat(Usd.format(123_000_000_000L)).isEqualTo("123.00");
        assertThat(Usd.toDecimal(40_000_000L)).isEqualTo(new BigDecimal("0.04"));
    }

    @ParameterizedTest
    @CsvSource({
            "10, 1, 4, 3",     // 2.5 -> 3
            "-10, 1, 4, -3",   // -2.5 -> -3: half away from zero
            "10, 1, 3, 3",     // 3.33 -> 3
            "-10, 1, 3, -3",
            "11, 1, 3, 4",     // 3.67 -> 4
            "-11, 1, 3, -4",
            "7, 1, 2, 4",
            "-7, 1, 2, -4",
            "5, 1, 10, 1",     // 0.5 -> 1
            "4, 1, 10, 0",
            "-4, 1, 10, 0",
            "2700, 1500000, 1000000, 4050",
            "2700, 800000, 1000000, 2160",
            "0, 5, 7, 0",
    })
    void scalesRoundingHalfUp(long amount, long numerator, long denominator, long expected) {
        assertThat(Usd.scale(amount, numerator, denominator)).isEqualTo(expected);
    }

    @Test
    void scalesExactlyWhenTheProductOverflowsALong() {
        long[][] cases = {
                {Long.MAX_VALUE, 3, 4},
                {Long.MAX_VALUE / 2, 1_500_000, 1_000_000},
                {Long.MIN_VALUE, 800_000, 1_000_000},
                {Long.MAX_VALUE - 1, 1, 4},
                {Long.MIN_VALUE + 1, 1, 4},
                {Long.MIN_VALUE, 1, 3},
                {Long.MIN_VALUE, 1, 2},
                {Long.MAX_VALUE, 1, 2},
                {4_000_000_000_000L, 3_000_000_000L, 1_000_000L},
                {-4_000_000_000_000L, 3_000_000_000L, 7_000_000},
        };
        for (long[] c : cases) {
            assertThat(Usd.scale(c[0], c[1], c[2])).as("scale(%d, %d, %d)", c[0], c[1], c[2])
                    .isEqualTo(exact(c[0], c[1], c[2]));
        }
    }

    @Test
    void refusesAResultOutsideTheRangeOfALong() {
        assertThatThrownBy(() -> Usd.scale(Long.MAX_VALUE, 2, 1)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void refusesANonPositiveDenominator() {
        assertThatThrownBy(() -> Usd.scale(1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("denominator: 0 (expected: > 0)");
        assertThatThrownBy(() -> Usd.scale(1, 1, -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("denominator: -3 (expected: > 0)");
    }

    private static long exact(long amount, long numerator, long denominator) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(numerator))
                .divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
