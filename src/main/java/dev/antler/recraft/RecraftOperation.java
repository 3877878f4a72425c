package dev.antler.recraft;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.files.FileMirror;
import dev.antler.files.ResultMirror;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HeaderList;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.ImageCountTap;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamHeaders;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import java.util.Set;

/**
 * One Recraft endpoint in one body format (JSON or multipart): the checks of {@link RecraftRules}, the hold (the
 * price of the {@code n} images asked for, or of one call), the upstream request at Recraft's own path with the
 * channel's key as a bearer token, and the tap that bills what came back and, when image mirroring is on,
 * mirrors the result images.
 *
 * @param <B> the body as the format reads it
 */
abstract class RecraftOperation<B extends RecraftFields> implements Operation<RecraftOperation.Call<B>> {

    static final Set<String> CHANNEL_TYPES = Set.of(RecraftFamily.CHANNEL_TYPE.name());

    /**
     * A Recraft request as inspected.
     *
     * @param checked    what the rules found
     * @param body       the body as read
     * @param mirrorBase the base of mirrored URLs; null: the answer is relayed as it comes
     */
    record Call<B>(RecraftRules.Checked checked, B body, String mirrorBase) {}

    private final RecraftEndpoint endpoint;
    private final FileMirror mirror;

    /** @param mirror mirrors result images when not null */
    RecraftOperation(RecraftEndpoint endpoint, FileMirror mirror) {
        this.endpoint = endpoint;
        this.mirror = mirror;
    }

    RecraftEndpoint endpoint() {
        return endpoint;
    }

    /** Reads the body; a 400 when it is not one of this format. */
    abstract B read(ClientRequest request);

    /**
     * The upstream body: the client's, with {@code model} set to {@code upstreamModel} when it is not null (the
     * request gave none, or the channel maps it).
     */
    abstract UpstreamRequest.Body upstreamBody(B body, String upstreamModel);

    abstract String contentType(B body);

    @Override
    public final Intent<Call<B>> inspect(ClientRequest request) {
        B body = read(request);
        RecraftRules.Checked checked = RecraftRules.check(endpoint, body);
        boolean mirrored = mirror != null && endpoint.returnsImages() && !checked.inlineImages();
        String mirrorBase = mirrored ? mirror.publicBase(request) : null;
        return new Intent<>(checked.model(), false, new Call<>(checked, body, mirrorBase), checked.priceKey());
    }

    @Override
    public final String name() {
        return "recraft." + endpoint.operation();
    }

    @Override
    public final Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public final long holdEstimate(Intent<Call<B>> intent, Price price, HoldBasis basis) {
        return CostCalculator.baseCost(price, Usage.images(intent.details().checked().count()));
    }

    @Override
    public final UpstreamRequest upstreamRequest(Intent<Call<B>> intent, Channel channel, ClientRequest client) {
        Call<B> call = intent.details();
        String upstreamModel = null;
        if (endpoint.takesModel()) {
            String mapped = channel.upstreamModel(intent.model());
            upstreamModel = call.checked().insertModel() || !mapped.equals(intent.model()) ? mapped : null;
        }
        HeaderList headers = UpstreamHeaders.base(client.headers(), contentType(call.body()), "Accept", "User-Agent")
                .set(RecraftFamily.CHANNEL_TYPE.auth().name(), RecraftFamily.CHANNEL_TYPE.auth().value(channel));
        return UpstreamRequest.post(channel.url(endpoint.path()), headers, upstreamBody(call.body(), upstreamModel));
    }

    @Override
    public final ResponseTap newTap(Intent<Call<B>> intent, Channel channel) {
        String base = intent.details().mirrorBase();
        return new ImageCountTap(endpoint.takesModel(), intent.details().checked().count(),
                base == null ? null : new ResultMirror(mirror, base));
    }
}
