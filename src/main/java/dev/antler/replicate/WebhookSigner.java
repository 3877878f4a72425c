package dev.antler.replicate;

import static java.util.Objects.requireNonNull;

import dev.antler.security.ServerSecret;
import dev.antler.tasks.Task;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the gateway's webhooks as Replicate does (Standard Webhooks): {@code webhook-id} (one per message: the same
 * state of a task sent again keeps it), {@code webhook-timestamp} (seconds since the epoch) and
 * {@code webhook-signature} = {@code v1,} + Base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where the key
 * is the user's signing secret {@code whsec_<Base64 key>} — 32 bytes derived from the gateway's own secret and the
 * user's id, so every user has one and none is stored. Users read theirs from
 * {@code GET /replicate/v1/webhooks/default/secret}, as from Replicate.
 */
final class WebhookSigner {

    static final String PURPOSE = "replicate-webhook-signing";
    static final String PREFIX = "whsec_";

    private final ServerSecret secret;
    private final Clock clock;

    WebhookSigner(ServerSecret secret, Clock clock) {
        this.secret = requireNonNull(secret, "secret");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The signing secret of user {@code userId}, as Replicate's secret route gives it. */
    String secretOf(long userId) {
        return PREFIX + Base64.getEncoder().encodeToString(key(userId));
    }

    /** The three headers of a webhook of {@code task} carrying {@code body}. */
    Map<String, String> headers(Task task, byte[] body) {
        String id = messageId(body);
        String timestamp = Long.toString(clock.millis() / 1000);
        return Map.of("webhook-id", id, "webhook-timestamp", timestamp,
                "webhook-signature", "v1," + sign(key(task.userId()), id, timestamp, body));
    }

    /** {@code msg_} and a digest of the body: a state sent again is the same message. */
    static String messageId(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "msg_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String sign(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private byte[] key(long userId) {
        return secret.derive(PURPOSE, Long.toString(userId));
    }
}
