package dev.antler.flux;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How BFL signs a webhook when the submit gave a {@code webhook_secret}: header {@code X-BFL-Signature} with value
 * {@code sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes>} (BFL's webhook integration
 * guide), so a receiver written for BFL verifies the gateway's webhooks unchanged.
 */
final class FluxSignature {

    static final String HEADER = "X-BFL-Signature";
    static final String PREFIX = "sha256=";

    private FluxSignature() {}

    /** The header's value for {@code body} signed with {@code secret}. */
    static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
