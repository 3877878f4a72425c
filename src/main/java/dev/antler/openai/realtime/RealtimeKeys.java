package dev.antler.openai.realtime;

import dev.antler.http.ClientKey;
import io.vertx.core.http.HttpServerRequest;

/**
 * The key a realtime client presents: the {@code Authorization} header (as the SDKs send it), or from a browser,
 * which cannot set headers on a WebSocket, the {@code openai-insecure-api-key.<key>} subprotocol.
 */
final class RealtimeKeys {

    static final String KEY_PROTOCOL = "openai-insecure-api-key.";
    /** The browser's way to ask for the beta protocol: {@code OpenAI-Beta: realtime=v1} upstream. */
    static final String BETA_PROTOCOL = "openai-beta.realtime-v1";

    private RealtimeKeys() {}

    static String presented(HttpServerRequest request) {
        String header = ClientKey.of(request);
        if (header != null && !header.isEmpty()) {
            return header;
        }
        for (String protocol : protocols(request)) {
            if (protocol.startsWith(KEY_PROTOCOL)) {
                return protocol.substring(KEY_PROTOCOL.length());
            }
        }
        return null;
    }

    /** The {@code OpenAI-Beta} header to send upstream: the client's, or from its subprotocol; null for none. */
    static String beta(HttpServerRequest request) {
        String header = request.getHeader("OpenAI-Beta");
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        for (String protocol : protocols(request)) {
            if (protocol.equals(BETA_PROTOCOL)) {
                return "realtime=v1";
            }
        }
        return null;
    }

    private static String[] protocols(HttpServerRequest request) {
        String header = request.getHeader("Sec-WebSocket-Protocol");
        if (header == null || header.isBlank()) {
            return new String[0];
        }
        String[] protocols = header.split(",");
        for (int i = 0; i < protocols.length; i++) {
            protocols[i] = protocols[i].strip();
        }
        return protocols;
    }
}
