package dev.antler.sse;

/** A Server-Sent-Events stream that cannot be framed, such as an event larger than the configured limit. */
public final class SseException extends RuntimeException {

    public SseException(String message) {
        super(message);
    }
}
