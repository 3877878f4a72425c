package dev.antler.relay;

/**
 * What the gateway learned from the client's request.
 *
 * @param model    the model the client asked for (routing, key permissions and the usage log use this name)
 * @param stream   whether the client asked for a streamed answer
 * @param details  the operation's own reading of the request, kept between inspection and the upstream call
 * @param priceKey the name the price is looked up by: the model itself (also when given as null) unless a
 *                 family prices one model differently per endpoint or option (Ideogram: {@code ideogram/edit/V_2})
 * @param <D>      the operation's type of details
 */
public record Intent<D>(String model, boolean stream, D details, String priceKey) {

    public Intent {
        priceKey = priceKey == null ? model : priceKey;
    }

    /** An intent priced by its model's own name. */
    public Intent(String model, boolean stream, D details) {
        this(model, stream, details, model);
    }
}
