package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.routing.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The task families' calls outside the relay chain — polls, single-task fetches, follow-up reads — made from
 * a blocking (virtual) thread and bounded by the channel's own timeouts: connect, idle, and total for the
 * whole exchange. A failure is a 502 that says whether the upstream can have received the call.
 */
public final class TaskUpstream {

    private final Vertx vertx;
    private final HttpClient client;

    public TaskUpstream(Vertx vertx, HttpClient client) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.client = requireNonNull(client, "client");
    }

    /** An upstream's whole answer. */
    public record Reply(int status, byte[] body, String contentType) {}

    /**
     * {@code method url} on {@code channel} with {@code headers} (the family's auth among them) and
     * {@code body} (null for none; sent as JSON). Blocks until the answer is complete or a timeout passes.
     */
    public Reply call(Channel channel, String method, String url, Map<String, String> headers, byte[] body) {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(sent::set);
        if (body != null && !sent.contains("Content-Type")) {
            sent.set("Content-Type", "application/json");
        }
        long total = channel.timeouts().total();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setAbsoluteURI(url)
                .setHeaders(sent).setConnectTimeout(channel.timeouts().connect())
                .setIdleTimeout(Math.min(channel.timeouts().idle(), total));
        try {
            // Issued on an event loop, so the body handler is set in the same turn as the head arrives (issued
            // from a virtual thread, a small answer's body could be gone before the handler was set).
            Promise<Reply> reply = Promise.promise();
            vertx.runOnContext(v -> client.request(options)
                    .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.getBytes(),
                            response.getHeader("Content-Type"))))
                    .onComplete(reply));
            return reply.future().await(total, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            boolean unprocessed = cause instanceof ConnectException || cause instanceof ConnectTimeoutException;
            throw new GatewayException(502, ErrorKind.UPSTREAM, "upstream_unreachable",
                    "upstream: " + channel.name() + " did not answer (" + cause.getClass().getSimpleName() + ")",
                    unprocessed ? GatewayException.Retry.UNPROCESSED : GatewayException.Retry.NOT_RETRYABLE, e);
        }
    }

    /**
     * A poll's {@link #call}: the upstream's 429 means "ask this channel later", so the poller backs the channel off.
     *
     * @throws TaskFamily.UpstreamBusy when the upstream answers 429
     */
    public Reply poll(Channel channel, String method, String url, Map<String, String> headers, byte[] body) {
        Reply reply = call(channel, method, url, headers, body);
        if (reply.status() == 429) {
            throw new TaskFamily.UpstreamBusy("channel " + channel.name() + " answered 429");
        }
        return reply;
    }
}
