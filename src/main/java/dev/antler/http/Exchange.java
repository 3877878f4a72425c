package dev.antler.http;

import dev.antler.core.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client request as the edge sees it: its id, its start time and how its errors are rendered. */
public final class Exchange {

    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final HttpServerRequest request;
    private final String requestId;
    private final long startNanos;
    private final ErrorFormat errors;

    public Exchange(HttpServerRequest request, ErrorFormat errors) {
        this.request = request;
        this.requestId = RequestIds.next();
        RequestIds.bind(requestId);
        this.startNanos = System.nanoTime();
        this.errors = errors;
        request.response().putHeader(REQUEST_ID_HEADER, requestId);
    }

    private Exchange(Exchange same, ErrorFormat errors) {
        this.request = same.request;
        this.requestId = same.requestId;
        this.startNanos = same.startNanos;
        this.errors = errors;
    }

    /** This exchange answering errors in {@code errors}: for a route two families share. */
    public Exchange withErrors(ErrorFormat errors) {
        return errors == this.errors ? this : new Exchange(this, errors);
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public String requestId() {
        return requestId;
    }

    /** {@link System#nanoTime()} when the request head was received. */
    public long startNanos() {
        return startNanos;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public ErrorFormat errors() {
        return errors;
    }

    /** Answers with {@code error} in the family's envelope, unless an answer has already begun. */
    public void fail(Throwable failure) {
        GatewayException error = asGatewayException(failure);
        HttpServerResponse response = request.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            // The body was not read: close after answering rather than drain an unwanted upload.
            // HTTP/2 forbids connection headers; there the unread stream is reset instead.
            response.putHeader("Connection", "close");
        }
        if (error.retryAfterSeconds() > 0) {
            response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", "application/json")
                .end(errors.render(error, requestId));
    }

    public static GatewayException asGatewayException(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof GatewayException gateway) {
            return gateway;
        }
        log.error("unexpected failure", cause);
        return new GatewayException(500, dev.antler.core.ErrorKind.SERVER, "internal_error",
                "internal error in the gateway");
    }

    public void json(int status, Buffer body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
