package dev.antler.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money as exact integer nano-dollars (1e-9 USD) in a {@code long}: ±9.2 billion USD of range,
 * finer than any list price per token. Never a {@code double}.
 */
public final class Usd {

    public static final long NANOS_PER_USD = 1_000_000_000L;
    private static final BigDecimal NANOS = BigDecimal.valueOf(NANOS_PER_USD);

    private Usd() {}

    /** Parses a decimal amount of dollars ("10.00", "0.15", "1e-3") into nanos; rejects finer than 1e-9. */
    public static long parse(String dollars) {
        BigDecimal value;
        try {
            value = new BigDecimal(dollars.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount: " + dollars + " (expected: a decimal number of USD)");
        }
        return fromDecimal(value);
    }

    public static long fromDecimal(BigDecimal dollars) {
        BigDecimal nanos = dollars.multiply(NANOS);
        try {
            return nanos.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "amount: " + dollars.toPlainString() + " (expected: at most 9 decimal places, within ±9.2e9 USD)");
        }
    }

    /** The amount as a plain decimal, trailing zeros removed but at least two decimals ("10.00", "0.00015"). */
    public static BigDecimal toDecimal(long nanos) {
        BigDecimal value = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
        return value.scale() < 2 ? value.setScale(2) : value;
    }

    public static String format(long nanos) {
        return toDecimal(nanos).toPlainString();
    }

    /** {@code amount × numerator ÷ denominator}, rounded half-up to the nano; exact for any long inputs. */
    public static long scale(long amount, long numerator, long denominator) {
        if (denominator <= 0) {
            throw new IllegalArgumentException("denominator: " + denominator + " (expected: > 0)");
        }
        long high = Math.multiplyHigh(amount, numerator);
        long low = amount * numerator;
        boolean fitsInLong = (high == 0 && low >= 0) || (high == -1 && low < 0);
        long half = denominator / 2;
        if (fitsInLong && low > Long.MIN_VALUE + half && low < Long.MAX_VALUE - half) {
            // Java division truncates toward zero, so adding half away from zero rounds half-up.
            return (low >= 0 ? low + half : low - half) / denominator;
        }
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(numerator))
                .divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
