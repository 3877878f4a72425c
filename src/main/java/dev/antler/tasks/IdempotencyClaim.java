package dev.antler.tasks;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.relay.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A paid submit's hold on its {@code Idempotency-Key}: once the submit is answered, {@link #complete} keeps the
 * answer for repeats; if it ends without one (refused, failed), {@link #release} frees the key for a retry.
 */
public final class IdempotencyClaim {

    /** How long a repeat waits for the first request with its key to finish before it is told to retry. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final IdempotencyKeys keys;
    private final long userId;
    private final String key;
    private final String route;
    private final RequestBody body;
    private volatile boolean finished;

    private IdempotencyClaim(IdempotencyKeys keys, long userId, String key, String route, RequestBody body) {
        this.keys = keys;
        this.userId = userId;
        this.key = key;
        this.route = route;
        this.body = body;
    }

    /**
     * The request's key, checked: null when it sent none; a 400 when it is blank or longer than
     * {@link IdempotencyKeys#MAX_KEY_LENGTH}.
     */
    public static IdempotencyClaim of(IdempotencyKeys keys, long userId, String header, String method, String path,
                                      RequestBody body) {
        if (header == null) {
            return null;
        }
        if (header.isBlank() || header.length() > IdempotencyKeys.MAX_KEY_LENGTH) {
            throw GatewayException.badRequest("invalid_idempotency_key", "Idempotency-Key: "
                    + (header.isBlank() ? "blank" : header.length() + " characters") + " (expected: 1 to "
                    + IdempotencyKeys.MAX_KEY_LENGTH + " characters, e.g. a UUID)");
        }
        return new IdempotencyClaim(keys, userId, header, method + " " + path, body);
    }

    /**
     * Claims the key (blocking; off the event loop): null when this request holds it and should submit; the
     * answer of the first request with it, to give again; a 422 when the key went with another body; a 409
     * when the first request is still running after {@link #WAIT}.
     */
    public IdempotencyKeys.Replay claim() {
        IdempotencyKeys.Claim claim;
        try {
            claim = keys.claimOrWait(userId, key, fingerprint(), WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(503, ErrorKind.SERVER, "server_busy", "stopping (expected: retry shortly)");
        }
        return switch (claim) {
            case IdempotencyKeys.Won won -> null;
            case IdempotencyKeys.Replay replay -> {
                finished = true;
                yield replay;
            }
            case IdempotencyKeys.Conflict conflict -> {
                finished = true;
                throw new GatewayException(422, ErrorKind.INVALID_REQUEST, "idempotency_key_reused", "Idempotency-Key: "
                        + key + " (expected: a new key for a different request; this key went with another body or "
                        + "route in the last " + IdempotencyKeys.RETENTION.toHours() + " h)");
            }
            case IdempotencyKeys.Busy busy -> {
                finished = true;
                throw new GatewayException(409, ErrorKind.INVALID_REQUEST, "idempotency_key_in_use", "Idempotency-Key: "
                        + key + " (expected: the first request with this key to finish; retry shortly)", 1);
            }
        };
    }

    /** The route and the exact body, an upload read from its spool file. */
    private String fingerprint() {
        MessageDigest sha = IdempotencyKeys.sha256();
        sha.update((route + "\n").getBytes(StandardCharsets.UTF_8));
        switch (body) {
            case RequestBody.InMemory memory -> sha.update(memory.bytes());
            case RequestBody.Spooled spooled -> {
                try (InputStream in = new DigestInputStream(Files.newInputStream(spooled.file()), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case RequestBody.None none -> { }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The submit was answered: repeats get {@code answer}. Blocking. */
    public void complete(int status, byte[] answer) {
        finished = true;
        keys.complete(userId, key, status, new String(answer, StandardCharsets.UTF_8));
    }

    /** The submit ended without an answer to keep: frees the key, on {@code executor}, unless it was completed. */
    public void releaseUnlessCompleted(Executor executor) {
        if (finished) {
            return;
        }
        finished = true;
        executor.execute(() -> keys.release(userId, key));
    }
}
