package dev.antler.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a URL host the way the resolvers an HTTP client may hand it to do, without any DNS lookup:
 * brackets, an IPv6 zone id ({@code %25lo}) and trailing dots are dropped, and IPv4 literals are read
 * in every form {@code inet_aton} takes — decimal, {@code 0x} hex and leading-zero octal parts, dotted
 * or not, shortened ({@code 127.1}, {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}).
 */
final class HostLiterals {

    private HostLiterals() {}

    /** {@code host} without brackets, zone id, trailing dots or upper case. */
    static String normalise(String host) {
        String bare = host.strip().toLowerCase(Locale.ROOT);
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        int zone = bare.indexOf('%');
        if (zone >= 0 && bare.indexOf(':') >= 0) {
            bare = bare.substring(0, zone);
        }
        while (bare.endsWith(".")) {
            bare = bare.substring(0, bare.length() - 1);
        }
        return bare;
    }

    /**
     * The addresses a literal {@code host} (normalised) may stand for: one for an IPv6 literal or an
     * unambiguous IPv4 one; two when a leading-zero part reads as octal to {@code inet_aton} but as
     * decimal to Java ({@code 010.0.0.1} is 8.0.0.1 or 10.0.0.1). Empty when {@code host} is a name.
     */
    static List<InetAddress> addresses(String host) {
        if (host.indexOf(':') >= 0) {
            try {
                // in brackets, Java parses it as an IPv6 literal or fails; it never looks it up as a name
                return List.of(InetAddress.getByName("[" + host + "]"));
            } catch (UnknownHostException e) {
                return List.of();
            }
        }
        List<InetAddress> found = new ArrayList<>(2);
        for (boolean leadingZeroIsOctal : new boolean[] {true, false}) {
            long value = ipv4(host, leadingZeroIsOctal);
            if (value >= 0) {
                InetAddress address = ipv4Address(value);
                if (!found.contains(address)) {
                    found.add(address);
                }
            }
        }
        return found;
    }

    static InetAddress ipv4Address(long value) {
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** The 32-bit value of an IPv4 literal in {@code inet_aton}'s forms, or -1 when {@code host} is none. */
    private static long ipv4(String host, boolean leadingZeroIsOctal) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            long part = number(parts[i], leadingZeroIsOctal);
            // every part is a byte but the last, which fills the bytes left: a, a.b (8.24), a.b.c (8.8.16)
            int bits = i < parts.length - 1 ? 8 : 8 * (4 - i);
            if (part < 0 || part >= 1L << bits) {
                return -1;
            }
            value = (value << bits) | part;
        }
        return value;
    }

    private static long number(String part, boolean leadingZeroIsOctal) {
        boolean hex = part.startsWith("0x");
        int radix = hex ? 16 : part.length() > 1 && part.startsWith("0") && leadingZeroIsOctal ? 8 : 10;
        String digits = !hex ? part : part.length() == 2 ? "0" : part.substring(2);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> Character.digit(c, radix) >= 0)) {
            return -1;
        }
        return Long.parseLong(digits, radix);
    }
}
