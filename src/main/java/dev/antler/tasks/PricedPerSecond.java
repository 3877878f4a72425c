package dev.antler.tasks;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;

/**
 * A submit priced per second of what it makes (video): held for the seconds asked ({@link #units}), charged at the
 * price's {@code per_second} (a price without one is per call) and settled on the seconds the upstream reports.
 */
public interface PricedPerSecond<D> extends TaskSubmit<D> {

    @Override
    default Long unitPrice(Price price) {
        return price.perSecond();
    }

    @Override
    default Usage usage(long units) {
        return Usage.seconds(units);
    }
}
