package dev.antler.tasks;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.relay.Intent;

/**
 * What an accepted submit is charged (the second of the three billing stages): the units the upstream reports
 * or, when it does not, the units held, at the price of one unit with the group multiplier — fixed here, so
 * completion settles at the same unit price. A task priced per call is charged its price once (nothing when the
 * upstream says it is no new work).
 *
 * @param unitNanos the price of one unit with the multiplier; 0 for a per-call price
 * @param units     the units charged
 * @param costNanos the charge
 * @param usage     the usage row's units
 */
public record SubmitCost(long unitNanos, long units, long costNanos, Usage usage) {

    public static <D> SubmitCost of(TaskSubmit<D> submit, Intent<D> intent, Price price, long multiplierPpm,
                                    Long reportedUnits) {
        Long unitPrice = submit.unitPrice(price);
        if (unitPrice != null) {
            long unitNanos = CostCalculator.applyMultiplier(unitPrice, multiplierPpm);
            long units = reportedUnits != null ? reportedUnits : submit.units(intent);
            return new SubmitCost(unitNanos, units, Math.multiplyExact(unitNanos, units), submit.usage(units));
        }
        if (reportedUnits != null && reportedUnits == 0) {
            return new SubmitCost(0, 0, 0, Usage.NONE);
        }
        Usage one = submit.usage(1);
        return new SubmitCost(0, 1, CostCalculator.cost(price, one, multiplierPpm), one);
    }

    /** The task's charge, queued for the writer. */
    Task.Charge charge() {
        return Task.Charge.pending(costNanos, unitNanos, units);
    }
}
