package dev.antler.midjourney;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * Calls to a midjourney-proxy upstream, made from a blocking (virtual) thread. The channel's key goes in
 * {@code mj-api-secret} and nowhere else.
 */
final class MjUpstream {

    private static final long TIMEOUT_MS = 60_000;

    private final Vertx vertx;
    private final HttpClient client;

    MjUpstream(Vertx vertx, HttpClient client) {
        this.vertx = vertx;
        this.client = client;
    }

    record Reply(int status, Buffer body, String contentType) {}

    Reply post(Channel channel, String path, Buffer json) {
        return call(channel, HttpMethod.POST, url(channel, path), json);
    }

    Reply get(Channel channel, String path) {
        return call(channel, HttpMethod.GET, url(channel, path), null);
    }

    private Reply call(Channel channel, HttpMethod method, String url, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (channel != null) {
            headers.set(MidjourneyFamily.CHANNEL_TYPE.auth().name(),
                    MidjourneyFamily.CHANNEL_TYPE.auth().value(channel));
        }
        if (body != null) {
            headers.set("Content-Type", "application/json");
        }
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url).setHeaders(headers)
                .setConnectTimeout(10_000).setIdleTimeout(TIMEOUT_MS);
        try {
            // Issued on an event loop, so the body handler is set in the same turn as the head arrives. Issued
            // from this virtual thread, the continuation ran later, and a small answer's body could already be
            // gone (an empty 200).
            Promise<Reply> reply = Promise.promise();
            vertx.runOnContext(v -> client.request(options)
                    .compose(request -> body == null ? request.send() : request.send(body))
                    .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b,
                            response.getHeader("Content-Type"))))
                    .onComplete(reply));
            return reply.future().await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            boolean unprocessed = cause instanceof java.net.ConnectException
                    || cause instanceof io.netty.channel.ConnectTimeoutException;
            throw new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                    "upstream: " + (channel == null ? "image host" : channel.name()) + " did not answer ("
                            + cause.getClass().getSimpleName() + ")",
                    unprocessed ? GatewayException.Retry.UNPROCESSED : GatewayException.Retry.NOT_RETRYABLE, e);
        }
    }

    private static String url(Channel channel, String path) {
        return channel.url(path);
    }
}
