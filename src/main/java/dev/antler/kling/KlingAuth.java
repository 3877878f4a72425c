package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.routing.Channel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code Authorization} value for a Kling channel. A key {@code accessKey|secretKey} is signed into an HS256
 * JWT as Kling documents it ({@code {"alg":"HS256","typ":"JWT"}}, claims {@code iss} = access key,
 * {@code exp} = now + 1800 s, {@code nbf} = now − 5 s), reused per channel until {@link #RENEW_BEFORE_S} before it
 * expires; a key starting {@code sk-} belongs to another relay and is sent as a bearer token as it is.
 * The channel type's {@code UpstreamAuth} names the header; its value is built here (a fixed prefix cannot sign).
 */
final class KlingAuth {

    static final long LIFETIME_S = 1800;
    static final long NOT_BEFORE_S = 5;
    static final long RENEW_BEFORE_S = 300;

    private record Token(String key, String value, long expiresAt) {}

    private final Clock clock;
    private final Map<Long, Token> tokens = new ConcurrentHashMap<>();

    KlingAuth(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    /** Whether {@code channel}'s key is another relay's bearer token rather than Kling's key pair. */
    static boolean relayKey(Channel channel) {
        return channel.apiKey().startsWith("sk-");
    }

    /** {@code Bearer <token>} for a call on {@code channel} now. */
    String header(Channel channel) {
        String key = channel.apiKey();
        if (relayKey(channel)) {
            return "Bearer " + key;
        }
        long now = clock.millis() / 1000;
        Token token = tokens.get(channel.id());
        if (token == null || !token.key().equals(key) || now >= token.expiresAt() - RENEW_BEFORE_S) {
            int bar = key.indexOf('|');
            if (bar <= 0 || bar == key.length() - 1 || key.indexOf('|', bar + 1) >= 0) {
                throw new GatewayException(502, ErrorKind.UPSTREAM, "channel_key_invalid", "channel " + channel.name()
                        + ": key (expected: accessKey|secretKey, or an sk- key of another relay)",
                        GatewayException.Retry.UNPROCESSED, null);
            }
            token = new Token(key, jwt(key.substring(0, bar), key.substring(bar + 1), now), now + LIFETIME_S);
            tokens.put(channel.id(), token);
        }
        return "Bearer " + token.value();
    }

    /** Kling's API token for {@code accessKey}, signed with {@code secretKey}, issued at {@code nowSeconds}. */
    static String jwt(String accessKey, String secretKey, long nowSeconds) {
        ObjectNode claims = Json.object();
        claims.put("iss", accessKey);
        claims.put("exp", nowSeconds + LIFETIME_S);
        claims.put("nbf", nowSeconds - NOT_BEFORE_S);
        return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", Json.MAPPER.writeValueAsString(claims), secretKey);
    }

    /** An HS256 JWT of {@code header} and {@code payload} (JSON texts) with {@code secret} (RFC 7519). */
    static String sign(String header, String payload, String secret) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
