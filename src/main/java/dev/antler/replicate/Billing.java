package dev.antler.replicate;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;

/**
 * How a Replicate model is charged, read from its price: per output image (held for {@code num_outputs}, settled on
 * the images made), per second of {@code metrics.predict_time} (held for {@link #HELD_SECONDS}, settled on the
 * seconds used, rounded up, at most those held), or per prediction.
 */
enum Billing {
    IMAGES,
    SECONDS,
    CALL;

    /** What a model priced per second is held for, and so at most charged: a hold bounds what a request can cost. */
    static final long HELD_SECONDS = 60;

    static Billing of(Price price) {
        if (price.perSecond() != null) {
            return SECONDS;
        }
        return price.perImage() != null ? IMAGES : CALL;
    }

    /** The price of one unit; null when charged per prediction. */
    Long unitPrice(Price price) {
        return switch (this) {
            case IMAGES -> price.perImage();
            case SECONDS -> price.perSecond();
            case CALL -> null;
        };
    }

    Usage usage(long units) {
        return this == SECONDS ? Usage.seconds(units) : Usage.images(units);
    }

    String factName() {
        return name().toLowerCase();
    }

    static Billing ofFact(String name) {
        for (Billing billing : values()) {
            if (billing.factName().equals(name)) {
                return billing;
            }
        }
        return CALL;
    }
}
