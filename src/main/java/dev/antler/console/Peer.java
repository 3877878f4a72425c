package dev.antler.console;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Set;

/**
 * What the gateway believes about a request's client: its address and whether it came over TLS. Forwarded
 * headers count only from a trusted proxy (console.trusted_proxies), so a client cannot claim another address
 * to escape the sign-in limit.
 */
public final class Peer {

    private final Set<String> trustedProxies;

    public Peer(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    /** Over TLS to the gateway itself, or behind a trusted proxy that says {@code X-Forwarded-Proto: https}. */
    public boolean secure(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        return proto != null && proto.trim().equalsIgnoreCase("https") && fromTrustedProxy(request);
    }

    /** The client's address: the last hop of {@code X-Forwarded-For} when a trusted proxy added it. */
    public String address(HttpServerRequest request) {
        String peer = host(request.remoteAddress());
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank() && trustedProxies.contains(peer)) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty() && last.length() <= 64) {
                return last;
            }
        }
        return peer;
    }

    private boolean fromTrustedProxy(HttpServerRequest request) {
        return trustedProxies.contains(host(request.remoteAddress()));
    }

    private static String host(SocketAddress address) {
        if (address == null) {
            return "";
        }
        String host = address.hostAddress();
        if (host == null) {
            return "";
        }
        // Vert.x may print IPv6 loopback in full form
        return host.equals("0:0:0:0:0:0:0:1") ? "::1" : host;
    }
}
