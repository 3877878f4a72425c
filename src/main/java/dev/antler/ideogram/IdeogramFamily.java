package dev.antler.ideogram;

import dev.antler.billing.Price;
import dev.antler.family.ChannelType;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.family.UpstreamAuth;
import dev.antler.files.FileMirror;
import dev.antler.http.ErrorFormat;
import dev.antler.http.Routes;
import dev.antler.relay.Operation;
import dev.antler.relay.Relay;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ideogram family: each of the ten endpoints at {@code /ideogram} plus its native path and at the
 * native path itself ({@code POST /edit} exactly as DeerAPI documents it), and every other path under
 * {@code /ideogram/} as a billed pass-through. Errors use Ideogram's {@code {"error": "..."}} shape.
 */
public final class IdeogramFamily implements Family {

    /**
     * Ideogram's API: the key in {@code Api-Key}, Ideogram's own base URL when the channel sets none. Not
     * testable: every Ideogram API call generates or analyses an image and is billed, and the API has no
     * free read-only endpoint (no model or account listing) to prove the key with.
     */
    static final ChannelType CHANNEL_TYPE = new ChannelType("ideogram", "https://api.ideogram.ai",
            UpstreamAuth.header("Api-Key"), null);

    private static final Logger log = LoggerFactory.getLogger(IdeogramFamily.class);

    @Override
    public String name() {
        return "ideogram";
    }

    @Override
    public List<ChannelType> channelTypes() {
        return List.of(CHANNEL_TYPE);
    }

    @Override
    public ErrorFormat errors() {
        return IdeogramErrorFormat.INSTANCE;
    }

    @Override
    public Map<String, Price> defaultPrices() {
        return IdeogramPrices.table();
    }

    /** With {@code context.mirror()}, result images are mirrored and their URLs rewritten (pass-through excepted). */
    @Override
    public void mount(FamilyContext context) {
        Routes routes = context.routes();
        Relay relay = context.relay();
        FileMirror mirror = context.mirror();
        GenerateOperation generate = new GenerateOperation(mirror);
        context.imageDialects().add(new IdeogramImageDialect(generate));
        for (IdeogramEndpoint endpoint : IdeogramEndpoint.values()) {
            Operation<?> operation = endpoint == IdeogramEndpoint.GENERATE ? generate
                    : new FormOperation(endpoint, mirror);
            routes.add(HttpMethod.POST, PassThroughOperation.PREFIX + endpoint.nativePath(),
                    IdeogramErrorFormat.INSTANCE, exchange -> relay.handle(exchange, operation));
            routes.add(HttpMethod.POST, endpoint.nativePath(), IdeogramErrorFormat.INSTANCE,
                    exchange -> relay.handle(exchange, operation));
        }
        Operation<?> multipart = new PassThroughOperation(Operation.BodyKind.MULTIPART);
        Operation<?> json = new PassThroughOperation(Operation.BodyKind.JSON);
        Operation<?> none = new PassThroughOperation(Operation.BodyKind.NONE);
        routes.prefix(PassThroughOperation.PREFIX + "/", IdeogramErrorFormat.INSTANCE, exchange -> {
            HttpServerRequest request = exchange.request();
            log.info("ideogram pass-through {} {} (request id {}), billed at {}", request.method(), request.path(),
                    exchange.requestId(), IdeogramPrices.OTHER);
            relay.handle(exchange, passThrough(request, multipart, json, none));
        });
    }

    /** Multipart bodies are spooled; a request without a body sends none; any other body is read (JSON). */
    private static Operation<?> passThrough(HttpServerRequest request, Operation<?> multipart, Operation<?> json,
                                            Operation<?> none) {
        String contentType = request.getHeader("Content-Type");
        if (contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
            return multipart;
        }
        String length = request.getHeader("Content-Length");
        boolean hasBody = request.getHeader("Transfer-Encoding") != null
                || (length != null && !length.trim().equals("0"));
        return hasBody ? json : none;
    }
}
