package dev.antler.ideogram;

import dev.antler.relay.ClientRequest;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import java.util.List;

/**
 * Any other path under {@code /ideogram/}: sent to the channel as it came (method, path without the
 * prefix, query, body from memory or from the spool file), billed per call at {@code ideogram/other}.
 * Nothing reaches Ideogram unbilled.
 */
final class PassThroughOperation extends IdeogramOperation<RequestBody> {

    static final String PREFIX = "/ideogram";

    private final BodyKind bodyKind;

    PassThroughOperation(BodyKind bodyKind) {
        super("ideogram.other", false, null);
        this.bodyKind = bodyKind;
    }

    @Override
    public BodyKind bodyKind() {
        return bodyKind;
    }

    @Override
    Intent<RequestBody> read(ClientRequest request) {
        return new Intent<>(IdeogramEnums.OTHER_MODEL, false, request.body(), IdeogramPrices.OTHER);
    }

    @Override
    long requestedImages(RequestBody request) {
        return 1;
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Call<RequestBody>> intent, Channel channel, ClientRequest client) {
        String path = client.path().substring(PREFIX.length());
        String query = client.query();
        String url = IdeogramUpstream.url(channel, query == null || query.isEmpty() ? path : path + "?" + query);
        UpstreamRequest.Body body = switch (intent.details().request()) {
            case RequestBody.None none -> new UpstreamRequest.Empty();
            case RequestBody.InMemory memory -> new UpstreamRequest.Bytes(memory.bytes());
            case RequestBody.Spooled spooled -> new UpstreamRequest.FilePieces(spooled.file(),
                    List.of(new UpstreamRequest.FileRange(0, spooled.length())));
        };
        return new UpstreamRequest(client.method(), url,
                IdeogramUpstream.headers(channel, client.headers(), client.headers().get("Content-Type")), body);
    }
}
