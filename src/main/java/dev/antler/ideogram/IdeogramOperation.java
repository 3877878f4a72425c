package dev.antler.ideogram;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.files.FileMirror;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.RequestBody;
import dev.antler.relay.ResponseTap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * What the Ideogram endpoints share: the channel type, the hold (the price of the images asked for, or
 * of one call), the tap that bills what came back and, when image mirroring is on, the rewriter that
 * mirrors the result images.
 */
abstract class IdeogramOperation implements Operation {

    static final Set<String> CHANNEL_TYPES = Set.of("ideogram");

    /** The operation's own state, and the base of mirrored URLs (null: no mirroring). */
    private record Call(Object details, String mirrorBase) {}

    private final String name;
    private final boolean perImage;
    private final FileMirror mirror;

    /** @param mirror mirrors result images when not null */
    IdeogramOperation(String name, boolean perImage, FileMirror mirror) {
        this.name = name;
        this.perImage = perImage;
        this.mirror = mirror;
    }

    /** Checks the request and reads what routing and pricing need; {@link #details(Intent)} returns its details. */
    abstract Intent read(RequestBody body, HttpServerRequest request);

    /** The images the request asks for; 1 for per-call operations. */
    abstract long requestedImages(Intent intent);

    @Override
    public final Intent inspect(RequestBody body, HttpServerRequest request) {
        Intent intent = read(body, request);
        String base = mirror == null ? null : mirror.publicBase(request);
        return new Intent(intent.model(), intent.stream(), new Call(intent.details(), base), intent.priceKey());
    }

    /** The details {@link #read} put in its intent. */
    static Object details(Intent intent) {
        return ((Call) intent.details()).details();
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
    public final long holdEstimate(Intent intent, Price price, HoldBasis basis) {
        return CostCalculator.baseCost(price, IdeogramTap.images(perImage ? requestedImages(intent) : 1));
    }

    @Override
    public ResponseTap newTap(Intent intent) {
        String base = ((Call) intent.details()).mirrorBase();
        return new IdeogramTap(perImage, requestedImages(intent), base == null ? null : new ResultMirror(mirror, base));
    }
}
