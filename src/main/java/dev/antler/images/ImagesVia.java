package dev.antler.images;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.OutputLimit;
import dev.antler.relay.ResponseRewriter;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.sse.SseEvent;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * OpenAI's images route served by another (synchronous) image family: every step is the family's own operation on
 * the synthetic request its dialect made — its routing, hold, upstream call and metering, so the call is billed
 * exactly as the native one — and only the answer is the OpenAI client's: {@code {created, data: [{url |
 * b64_json, revised_prompt?}]}}. URLs are the family's as it would answer them (the gateway's copies with
 * mirroring on); {@code b64_json} is fetched from the upstream's links.
 */
final class ImagesVia<D> implements Operation<D> {

    /** The largest family answer read for the conversion (URL lists; a family's own base64 is rare). */
    private static final int MAX_ANSWER = 64 * 1024 * 1024;

    private final ImageDialect dialect;
    private final ImageDialect.Own<D> own;
    private final ImageAsk ask;
    private final ImageFetch fetch;
    private final Clock clock;

    ImagesVia(ImageDialect dialect, ImageDialect.Own<D> own, ImageAsk ask, ImageFetch fetch, Clock clock) {
        this.dialect = requireNonNull(dialect, "dialect");
        this.own = requireNonNull(own, "own");
        this.ask = requireNonNull(ask, "ask");
        this.fetch = requireNonNull(fetch, "fetch");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "images.generations";
    }

    @Override
    public Set<String> channelTypes() {
        return own.operation().channelTypes();
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    /** The family's reading of its synthetic request ({@code client}, the OpenAI request, was translated into it). */
    @Override
    public Intent<D> inspect(ClientRequest client) {
        return own.operation().inspect(own.request());
    }

    @Override
    public long holdEstimate(Intent<D> intent, Price price, HoldBasis basis) {
        return own.operation().holdEstimate(intent, price, basis);
    }

    @Override
    public OutputLimit<D> outputLimit(Intent<D> intent, HoldBasis basis) {
        return own.operation().outputLimit(intent, basis);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<D> intent, Channel channel, ClientRequest client) {
        return own.operation().upstreamRequest(intent, channel, own.request());
    }

    @Override
    public ResponseTap newTap(Intent<D> intent, Channel channel) {
        return new Tap(own.operation().newTap(intent, channel));
    }

    @Override
    public long minimumHold() {
        return own.operation().minimumHold();
    }

    /** The family's tap, metering as it does; its answer rewritten to OpenAI's images shape. */
    private final class Tap implements ResponseTap {

        private final ResponseTap family;

        Tap(ResponseTap family) {
            this.family = family;
        }

        @Override
        public void onBytes(byte[] chunk, int offset, int length) {
            family.onBytes(chunk, offset, length);
        }

        @Override
        public boolean onEvent(SseEvent event) {
            return family.onEvent(event);
        }

        @Override
        public Metered meter() {
            return family.meter();
        }

        @Override
        public boolean meterMayCount() {
            return family.meterMayCount();
        }

        @Override
        public ResponseRewriter rewriter() {
            ResponseRewriter inner = family.rewriter();
            return new ResponseRewriter() {
                @Override
                public int maxBytes() {
                    return Math.max(MAX_ANSWER, inner == null ? 0 : inner.maxBytes());
                }

                @Override
                public CompletionStage<byte[]> rewrite(byte[] body) {
                    if (ask.base64() || inner == null) {
                        return answer(body); // bytes come from the upstream's links, not the gateway's copies
                    }
                    return inner.rewrite(body).exceptionally(e -> body).thenCompose(ImagesVia.this::answer);
                }
            };
        }
    }

    private CompletionStage<byte[]> answer(byte[] familyAnswer) {
        List<ImageDialect.Image> images = dialect.images(familyAnswer);
        List<Future<String>> encoded = new ArrayList<>();
        for (ImageDialect.Image image : images) {
            encoded.add(!ask.base64() || image.b64() != null ? Future.succeededFuture(image.b64())
                    : fetch.bytes(image.url()).map(bytes -> Base64.getEncoder().encodeToString(bytes)));
        }
        return OpenAiImages.render(clock.millis() / 1000, images, encoded, ask.base64());
    }
}
