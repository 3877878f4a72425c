package dev.antler.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Refuses upstream URLs (channel base URLs, result images to mirror) whose host is or resolves to a
 * loopback, private, link-local (cloud metadata), carrier-grade NAT, unique-local or unspecified
 * address, unless the operator allows them ({@code security.allow_private_base_urls}). This keeps an
 * admin key or a hostile upstream answer from turning the gateway into a proxy into its own network.
 *
 * <p>Blocking: resolves names. A name that does not resolve now is let through (the request to it
 * fails later); a name that resolves differently later (DNS rebinding) is not caught here.
 */
public final class BaseUrlGuard {

    private final boolean allowPrivate;

    public BaseUrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} is refused, or empty when it may be used. */
    public Optional<String> refusal(String url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host;
        try {
            host = URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // syntax is checked elsewhere
        }
        if (host == null) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("a public address (" + host + " is " + address.getHostAddress()
                        + ", a loopback, private or link-local address; the operator may allow these with "
                        + "security.allow_private_base_urls: true)");
            }
        }
        return Optional.empty();
    }

    /** For the config file: throws when {@code url} is refused. */
    public static void check(String name, String url, boolean allowPrivate) {
        new BaseUrlGuard(allowPrivate).refusal(url).ifPresent(expected -> {
            throw new IllegalArgumentException(name + ": " + url + " (expected: " + expected + ")");
        });
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 198 && (second == 18 || second == 19)) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return false;
    }
}
