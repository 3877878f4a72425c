package dev.antler.relay;

import dev.antler.billing.Usage;
import dev.antler.json.JsonUsageTap;

/**
 * Reads what to bill from an image API's answer as it is relayed: per image returned — the length of the answer's
 * {@code data} array, never more than were asked for (and held); an answer without one is billed for the images
 * asked for and marked {@code estimated} — or, for a call priced per call, one unit. It hands the relay the
 * family's rewriter (its image mirroring), if any.
 */
public final class ImageCountTap implements ResponseTap {

    private final boolean perImage;
    private final long requested;
    private final ResponseRewriter rewriter;
    private final JsonUsageTap body = new JsonUsageTap();

    /**
     * @param perImage  billed per image returned; else per call
     * @param requested the images asked for (and held)
     * @param rewriter  mirrors the result images, or null
     */
    public ImageCountTap(boolean perImage, long requested, ResponseRewriter rewriter) {
        this.perImage = perImage;
        this.requested = requested;
        this.rewriter = rewriter;
    }

    @Override
    public ResponseRewriter rewriter() {
        return rewriter;
    }

    @Override
    public void onBytes(byte[] chunk, int offset, int length) {
        if (perImage) {
            body.feed(chunk, offset, length);
        }
    }

    @Override
    public Metered meter() {
        if (!perImage) {
            return Metered.fromRequest(Usage.images(1));
        }
        body.finish();
        int returned = body.dataArrayLength();
        if (returned < 0) {
            return Metered.estimated(Usage.images(requested));
        }
        return Metered.reported(Usage.images(Math.min(returned, requested)));
    }
}
