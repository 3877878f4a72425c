package dev.antler.ideogram;

import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Any other path under {@code /ideogram/}: sent to the channel as it came (method, path without the
 * prefix, query, body from memory or from the spool file), billed per call at {@code ideogram/other}.
 * Nothing reaches Ideogram unbilled.
 */
final class PassThroughOperation extends IdeogramOperation {

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
    Intent read(RequestBody body, HttpServerRequest request) {
        return new Intent(IdeogramEnums.OTHER_MODEL, false, body, IdeogramPrices.OTHER);
    }

    @Override
    long requestedImages(Intent intent) {
        return 1;
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent intent, Channel channel, HttpServerRequest client) {
        String path = client.path().substring(PREFIX.length());
        String query = client.query();
        String url = IdeogramUpstream.url(channel, query == null || query.isEmpty() ? path : path + "?" + query);
        UpstreamRequest.Body body = switch ((RequestBody) details(intent)) {
            case RequestBody.None none -> new UpstreamRequest.Empty();
            case RequestBody.InMemory memory -> new UpstreamRequest.Bytes(memory.bytes());
            case RequestBody.Spooled spooled -> new UpstreamRequest.FilePieces(spooled.file(),
                    List.of(new UpstreamRequest.FileRange(0, spooled.length())));
        };
        return new UpstreamRequest(client.method(), url,
                IdeogramUpstream.headers(channel, client, client.getHeader("Content-Type")), body);
    }
}
