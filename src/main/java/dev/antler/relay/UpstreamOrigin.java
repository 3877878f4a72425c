package dev.antler.relay;

/** The scheme, host and port an upstream connection goes to: what one keep-alive pool serves. */
record UpstreamOrigin(boolean tls, String host, int port) {

    /** The {@code Host} header: the port is left out when it is the scheme's default. */
    String hostHeader() {
        String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? name : name + ":" + port;
    }

    /** The host to resolve and connect to: an IPv6 literal without its brackets. */
    String connectHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code host:port}, as the pool meters name it. */
    String address() {
        return host + ":" + port;
    }
}
