package dev.antler.kling;

import static java.util.Map.entry;

import dev.antler.billing.Price;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Kling's units: the credits of its prepaid resource packs, which Kling deducts per task and reports as
 * {@code data.final_unit_deduction} (a decimal string, e.g. {@code "3.5"}) in a task's query answer and callback.
 * An operator who buys packs may price one unit (the opt-in price, its {@code per_call} the USD of one unit): the
 * family then holds a task on Kling's published deduction for it and settles it on the units Kling reports.
 * Kling sells a separate pack per kind of work, each unit at its own price, so the price of a unit is looked up
 * per model first, then per pack: {@code kling/<model>/unit} then {@code kling/unit} (videos: the video pack),
 * {@code kling/images/<model>/unit} then {@code kling/images/unit} (image generation), {@code kling/<model>/unit}
 * then {@code kling/try-on/unit} (virtual try-on).
 *
 * <p>The engine's integer unit for such a task is a thousandth of a Kling unit ("milli-unit"): Kling deducts
 * fractions (3.5 units for a 5 s kling-v1 pro video), and counting in milli-units charges them exactly. The price
 * of a milli-unit is the unit price ÷ 1000, rounded down (at most a nano-USD per milli-unit, in the user's
 * favour); a report finer than a thousandth is rounded down too.
 */
final class KlingUnits {

    static final long MILLI = 1000;
    /** A report above this many units is not believed (a relay's slip, not a task's cost): the charge stands. */
    static final long MAX_UNITS = 100_000;

    /**
     * Kling's deduction for a 5 s video, in milli-units, by {@code model/mode} (10 s: twice that), from Kling's
     * "Credit Deduction Details" of the video generation pack (Kling API docs, Billing → Prepaid Resource Packs,
     * app.klingai.com/global/dev/document-api; tabulated with the same figures in ye4293/one-api
     * docs/kling_api_pricing.md). kling-v2-6 is listed in pro mode only, silent; with {@code sound} on it is
     * {@link #V26_SOUND}, with a chosen voice too {@link #V26_VOICE}. Models and modes not listed (kling-v2-6 std,
     * video-extend and lip-sync, whose cost depends on the source video, images, try-on) are held on the task's
     * per-second, per-image or per-call price instead.
     */
    private static final Map<String, Long> FIVE_SECONDS = Map.ofEntries(
            entry("kling-v1/std", 1000L), entry("kling-v1/pro", 3500L),
            entry("kling-v1-5/std", 2000L), entry("kling-v1-5/pro", 3500L),
            entry("kling-v1-6/std", 2000L), entry("kling-v1-6/pro", 3500L),
            entry("kling-v2-1/std", 2000L), entry("kling-v2-1/pro", 3500L),
            entry("kling-v2-master/std", 10_000L), entry("kling-v2-master/pro", 10_000L),
            entry("kling-v2-1-master/std", 10_000L), entry("kling-v2-1-master/pro", 10_000L),
            entry("kling-v2-5-turbo/std", 1500L), entry("kling-v2-5-turbo/pro", 2500L),
            entry("kling-v2-6/pro", 2500L));
    private static final long V26_SOUND = 5000L;
    private static final long V26_VOICE = 6000L;

    private KlingUnits() {}

    /**
     * What a task priced per unit is held on: the price key of one unit, the milli-units held, and whether they
     * are Kling's published deduction ({@code listed}) or the task's own price converted to units.
     */
    record Hold(String priceKey, long milliUnits, boolean listed) {}

    /** The price keys of one Kling unit for {@code request}, most specific first. */
    static List<String> priceKeys(KlingRequest request) {
        return switch (request.action()) {
            case GENERATIONS -> List.of("kling/images/" + request.model() + "/unit", "kling/images/unit");
            case KOLORS_VIRTUAL_TRY_ON -> List.of("kling/" + request.model() + "/unit", "kling/try-on/unit");
            default -> List.of("kling/" + request.model() + "/unit", "kling/unit");
        };
    }

    /**
     * The hold of {@code request} when a unit price is set for it, else empty (the task is priced as it always
     * was). Kling's published deduction when it lists the request; otherwise the task's own price ({@code
     * listHold}, nano-USD) converted to milli-units, rounded up. Neither known: 503, as for any unpriced model.
     */
    static Optional<Hold> hold(KlingRequest request, Function<String, Optional<Price>> prices,
                               Function<Price, Long> listHold) {
        for (String key : priceKeys(request)) {
            Price unit = prices.apply(key).orElse(null);
            if (unit == null) {
                continue;
            }
            if (unit.perCall() == null) {
                throw notPriced("price: " + key + " has no per_call (expected: the USD price of one Kling unit "
                        + "as its per_call)");
            }
            Long listed = listed(request);
            if (listed != null) {
                return Optional.of(new Hold(key, listed, true));
            }
            Price own = ownPrice(request, prices).orElseThrow(() -> notPriced("price: " + request.priceKey()
                    + " (model " + request.model() + ") has no price set (expected: one to hold on, as Kling "
                    + "publishes no unit deduction for this request)"));
            long milliPrice = milliPrice(unit);
            long nanos = listHold.apply(own);
            return Optional.of(new Hold(key, milliPrice == 0 ? 0 : Math.ceilDiv(nanos, milliPrice), false));
        }
        return Optional.empty();
    }

    /** Kling's published deduction for {@code request} in milli-units, or null when it publishes none. */
    static Long listed(KlingRequest request) {
        if (request.action().billing != KlingAction.Billing.SECONDS || request.mode() == null) {
            return null;
        }
        Long fiveSeconds = FIVE_SECONDS.get(request.model() + "/" + request.mode());
        if (fiveSeconds == null) {
            return null;
        }
        if (request.model().equals("kling-v2-6") && "on".equals(request.upstream().path("sound").asString(""))) {
            JsonNode voices = request.upstream().path("voice_list");
            fiveSeconds = voices.isArray() && !voices.isEmpty() ? V26_VOICE : V26_SOUND;
        }
        return fiveSeconds * request.seconds() / 5;
    }

    /**
     * The units {@code data} reports Kling deducted ({@code final_unit_deduction}), in milli-units rounded down;
     * null when it reports none believable: absent, not a non-negative decimal (Kling sends a string; a number, as
     * another relay may re-encode it, is read too), above {@link #MAX_UNITS}, or 0 while the task was paid from
     * the account's cash balance instead ({@code final_balance_deduction}).
     */
    static Long reported(JsonNode data) {
        BigDecimal units = decimal(data.path("final_unit_deduction"));
        if (units == null || units.signum() < 0 || units.compareTo(BigDecimal.valueOf(MAX_UNITS)) > 0) {
            return null;
        }
        if (units.signum() == 0) {
            BigDecimal cash = decimal(data.path("final_balance_deduction").path("quota"));
            if (cash != null && cash.signum() > 0) {
                return null;
            }
        }
        return units.movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /** The price of a milli-unit, nano-USD: the unit price's {@code per_call} ÷ 1000, rounded down; 0 when unset. */
    static long milliPrice(Price unitPrice) {
        return unitPrice.perCall() == null ? 0 : unitPrice.perCall() / MILLI;
    }

    /** {@code milliUnits} as a decimal count of units: {@code 3500} → {@code "3.5"}. */
    static String format(long milliUnits) {
        return BigDecimal.valueOf(milliUnits, 3).stripTrailingZeros().toPlainString();
    }

    /** The task's own (per second, image or call) price: its price key's, else its model's. */
    private static Optional<Price> ownPrice(KlingRequest request, Function<String, Optional<Price>> prices) {
        return prices.apply(request.priceKey()).or(() -> prices.apply(request.model()));
    }

    private static BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            return value.isFloatingPointNumber() && !Double.isFinite(value.asDouble()) ? null : value.decimalValue();
        }
        String text = value.isString() ? value.asString().trim() : "";
        if (!text.matches("\\d{1,12}(\\.\\d{1,12})?")) {
            return null;
        }
        return new BigDecimal(text);
    }

    private static GatewayException notPriced(String message) {
        return new GatewayException(503, ErrorKind.NO_CHANNEL, "model_not_priced", message);
    }
}
