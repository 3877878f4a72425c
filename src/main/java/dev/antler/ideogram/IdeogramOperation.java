package dev.antler.ideogram;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.files.FileMirror;
import dev.antler.files.ResultMirror;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.ImageCountTap;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.routing.Channel;
import java.util.Set;

/**
 * What the Ideogram endpoints share: the channel type, the hold (the price of the images asked for, or
 * of one call), the tap that bills what came back and, when image mirroring is on, the rewriter that
 * mirrors the result images.
 *
 * @param <R> what the endpoint reads from a request
 */
abstract class IdeogramOperation<R> implements Operation<IdeogramOperation.Call<R>> {

    static final Set<String> CHANNEL_TYPES = Set.of("ideogram");

    /**
     * An Ideogram request as inspected.
     *
     * @param request    the endpoint's own reading of it
     * @param mirrorBase the base of mirrored URLs; null: no mirroring
     */
    record Call<R>(R request, String mirrorBase) {}

    private final String name;
    private final boolean perImage;
    private final FileMirror mirror;

    /** @param mirror mirrors result images when not null */
    IdeogramOperation(String name, boolean perImage, FileMirror mirror) {
        this.name = name;
        this.perImage = perImage;
        this.mirror = mirror;
    }

    /** Checks the request and reads what routing and pricing need. */
    abstract Intent<R> read(ClientRequest request);

    /** The images {@code request} asks for; 1 for per-call operations. */
    abstract long requestedImages(R request);

    @Override
    public final Intent<Call<R>> inspect(ClientRequest request) {
        Intent<R> intent = read(request);
        String base = mirror == null ? null : mirror.publicBase(request);
        return new Intent<>(intent.model(), intent.stream(), new Call<>(intent.details(), base), intent.priceKey());
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public final long holdEstimate(Intent<Call<R>> intent, Price price, HoldBasis basis) {
        return CostCalculator.baseCost(price,
                Usage.images(perImage ? requestedImages(intent.details().request()) : 1));
    }

    @Override
    public final ResponseTap newTap(Intent<Call<R>> intent, Channel channel) {
        String base = intent.details().mirrorBase();
        return new ImageCountTap(perImage, requestedImages(intent.details().request()),
                base == null ? null : new ResultMirror(mirror, base));
    }
}
