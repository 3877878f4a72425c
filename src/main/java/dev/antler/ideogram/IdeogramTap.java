package dev.antler.ideogram;

import dev.antler.billing.Usage;
import dev.antler.json.JsonUsageTap;
import dev.antler.relay.ResponseRewriter;
import dev.antler.relay.ResponseTap;

/**
 * Reads what to bill from an Ideogram answer as it is relayed unchanged. Image endpoints are billed per
 * image returned: the length of the envelope's {@code data} array, never more than were asked for (and
 * held); an answer without one is billed for the images asked for and marked {@code estimated}.
 * Describe and pass-through calls are billed per call: one unit. With image mirroring on, it hands the
 * relay a {@link dev.antler.files.ResultMirror} for the answer.
 */
final class IdeogramTap implements ResponseTap {

    private final boolean perImage;
    private final long requested;
    private final ResponseRewriter rewriter;
    private final JsonUsageTap body = new JsonUsageTap();

    /** @param rewriter mirrors the result images, or null */
    IdeogramTap(boolean perImage, long requested, ResponseRewriter rewriter) {
        this.perImage = perImage;
        this.requested = requested;
        this.rewriter = rewriter;
    }

    @Override
    public ResponseRewriter rewriter() {
        return rewriter;
    }

    static Usage images(long count) {
        return Usage.images(count);
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
            return Metered.fromRequest(images(1));
        }
        body.finish();
        int returned = body.dataArrayLength();
        if (returned < 0) {
            return Metered.estimated(images(requested));
        }
        return Metered.reported(images(Math.min(returned, requested)));
    }
}
