package dev.antler.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Refuses upstream URLs (channel base URLs, result images to mirror, webhooks) whose host is or resolves
 * to an address of the gateway's own network ({@link PrivateAddresses}: loopback, private, link-local and
 * cloud metadata, carrier-grade NAT, unique-local, unspecified, multicast, and IPv6 forms carrying such an
 * IPv4 address), unless the operator allows them ({@code security.allow_private_base_urls}). This keeps
 * an admin key or a hostile upstream answer from turning the gateway into a proxy into its own network.
 *
 * <p>The host is read as resolvers read it ({@link HostLiterals}): numeric IPv4 in any form, trailing
 * dots and IPv6 zone ids do not get past. Literals are judged without DNS; {@code localhost} and its
 * subdomains are loopback without DNS (RFC 6761).
 *
 * <p>Blocking: resolves other names. A name that does not resolve now is let through (the request to it
 * fails later); a name that resolves differently later (DNS rebinding) is not caught here.
 */
public final class BaseUrlGuard {

    private static final List<InetAddress> LOOPBACK = List.of(HostLiterals.ipv4Address(0x7f000001L),
            InetAddress.getLoopbackAddress());

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
            host = host(URI.create(url.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // syntax is checked elsewhere
        }
        if (host == null) {
            return Optional.empty();
        }
        for (InetAddress address : addresses(HostLiterals.normalise(host))) {
            if (PrivateAddresses.isPrivate(address)) {
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

    /**
     * The URL's host; {@link URI#getHost()} has none for some a resolver still takes ({@code 127.1},
     * {@code 127.0.0.1.}: a last label starting with a digit), so those are cut from the authority.
     */
    private static String host(URI uri) {
        if (uri.getHost() != null || uri.getAuthority() == null) {
            return uri.getHost();
        }
        String authority = uri.getAuthority().substring(uri.getAuthority().lastIndexOf('@') + 1);
        int port = authority.lastIndexOf(':');
        return port < 0 || authority.endsWith("]") ? authority : authority.substring(0, port);
    }

    private static List<InetAddress> addresses(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return LOOPBACK;
        }
        List<InetAddress> literal = HostLiterals.addresses(host);
        if (!literal.isEmpty() || host.indexOf(':') >= 0) {
            return literal;
        }
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return List.of();
        }
    }
}
