package dev.antler.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses are the gateway's own network rather than the public internet: unspecified,
 * loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT (100.64/10,
 * Alibaba's metadata at 100.100.100.200), IETF-reserved 192.0.0/24, benchmarking, reserved and
 * multicast IPv4; unspecified, loopback, link-local, site-local, unique-local (AWS metadata at
 * fd00:ec2::254) and multicast IPv6. An IPv6 address that carries an IPv4 one (mapped, compatible,
 * translated, NAT64, 6to4, Teredo) is judged by the IPv4 address it carries too.
 */
final class PrivateAddresses {

    private PrivateAddresses() {}

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        if (address instanceof Inet4Address) {
            return isPrivateIpv4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            return (b[0] & 0xfe) == 0xfc // unique local fc00::/7
                    || embeddedIpv4(b).stream().anyMatch(PrivateAddresses::isPrivate);
        }
        return false;
    }

    private static boolean isPrivateIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || first == 10 || first == 127 || first >= 224 // unspecified, private, loopback, multicast, reserved
                || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (first == 169 && second == 254) || (first == 172 && second >= 16 && second <= 31)
                || (first == 192 && second == 168) || (first == 192 && second == 0 && (b[2] & 0xff) == 0)
                || (first == 198 && (second == 18 || second == 19));
    }

    /** The IPv4 addresses an IPv6 address carries by one of the standard embeddings. */
    static List<InetAddress> embeddedIpv4(byte[] b) {
        List<InetAddress> found = new ArrayList<>(2);
        if (zeros(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == -1 && b[11] == -1))) {
            found.add(ipv4(b, 12, 0)); // compatible ::a.b.c.d and mapped ::ffff:a.b.c.d
        } else if (zeros(b, 0, 8) && b[8] == -1 && b[9] == -1 && zeros(b, 10, 12)) {
            found.add(ipv4(b, 12, 0)); // translated ::ffff:0:a.b.c.d
        } else if (word(b, 0) == 0x64 && word(b, 2) == 0xff9b && (zeros(b, 4, 12) || word(b, 4) == 1)) {
            found.add(ipv4(b, 12, 0)); // NAT64 64:ff9b::/96 and the local-use 64:ff9b:1::/48
        } else if (word(b, 0) == 0x2002) {
            found.add(ipv4(b, 2, 0)); // 6to4 2002:aabb:ccdd::/48
        } else if (word(b, 0) == 0x2001 && word(b, 2) == 0) {
            found.add(ipv4(b, 4, 0)); // Teredo 2001::/32: the server ...
            found.add(ipv4(b, 12, 0xff)); // ... and the client, bits inverted
        }
        return found;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static InetAddress ipv4(byte[] b, int at, int xor) {
        long value = 0;
        for (int i = at; i < at + 4; i++) {
            value = value << 8 | ((b[i] ^ xor) & 0xff);
        }
        return HostLiterals.ipv4Address(value);
    }
}
