package dev.antler.config;

/**
 * The HTTP listener.
 *
 * @param port          TCP port (default 3000)
 * @param host          bind address (default 0.0.0.0)
 * @param maxBodyBytes  largest request body accepted, uploads included (default 32 MiB)
 * @param eventLoops    event-loop threads (default: one per CPU core)
 * @param maxJsonBytes  largest JSON (or bodiless) request, held in memory while inspected (default 16 MiB;
 *                      never more than {@code maxBodyBytes})
 * @param maxInflightBodyBytes  request bodies held in memory at once, all requests together; past it new
 *                              bodies get 503 (default: a quarter of the maximum heap)
 * @param headerReadTimeoutMs   longest a connection may take to send a request's head, the first one
 *                              or, kept alive, the next one (default 10000)
 * @param bodyReadIdleTimeoutMs longest a request body may pause between two chunks (default 30000)
 * @param http2Cleartext        also serve HTTP/2 without TLS (h2c, by upgrade or prior knowledge); default
 *                              false, as a connection's first request head is then out of the header deadline
 * @param upstreamMaxConnections HTTP/1.1 connections open at once to one upstream host (default 10000): each
 *                              request or stream in flight holds one, so this bounds the streams a host carries
 *                              at once; past it requests wait for a free connection
 * @param nativeTransport       serve and call upstreams through Linux's epoll by JNI (Netty's native transport)
 *                              where it loads, else the JDK's selector (default true; false: always the JDK's)
 */
public record ServerConfig(Integer port, String host, Long maxBodyBytes, Integer eventLoops, Long maxJsonBytes,
                           Long maxInflightBodyBytes, Long headerReadTimeoutMs, Long bodyReadIdleTimeoutMs,
                           Boolean http2Cleartext, Integer upstreamMaxConnections, Boolean nativeTransport) {

    public ServerConfig {
        port = port == null ? 3000 : port;
        host = host == null ? "0.0.0.0" : host;
        maxBodyBytes = maxBodyBytes == null ? 32L * 1024 * 1024 : maxBodyBytes;
        maxJsonBytes = maxJsonBytes == null ? 16L * 1024 * 1024 : maxJsonBytes;
        eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        maxInflightBodyBytes = maxInflightBodyBytes == null ? Runtime.getRuntime().maxMemory() / 4 : maxInflightBodyBytes;
        headerReadTimeoutMs = headerReadTimeoutMs == null ? 10_000L : headerReadTimeoutMs;
        bodyReadIdleTimeoutMs = bodyReadIdleTimeoutMs == null ? 30_000L : bodyReadIdleTimeoutMs;
        http2Cleartext = http2Cleartext != null && http2Cleartext;
        upstreamMaxConnections = upstreamMaxConnections == null ? 10_000 : upstreamMaxConnections;
        nativeTransport = nativeTransport == null || nativeTransport;
        if (upstreamMaxConnections <= 0) {
            throw new IllegalArgumentException("server.upstream_max_connections: " + upstreamMaxConnections
                    + " (expected: > 0)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("server.port: " + port + " (expected: 0-65535)");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("server.max_body_bytes: " + maxBodyBytes + " (expected: > 0)");
        }
        if (maxJsonBytes <= 0) {
            throw new IllegalArgumentException("server.max_json_bytes: " + maxJsonBytes + " (expected: > 0)");
        }
        if (eventLoops <= 0) {
            throw new IllegalArgumentException("server.event_loops: " + eventLoops + " (expected: > 0)");
        }
        if (maxInflightBodyBytes <= 0) {
            throw new IllegalArgumentException("server.max_inflight_body_bytes: " + maxInflightBodyBytes
                    + " (expected: > 0)");
        }
        if (headerReadTimeoutMs <= 0) {
            throw new IllegalArgumentException("server.header_read_timeout_ms: " + headerReadTimeoutMs
                    + " (expected: > 0)");
        }
        if (bodyReadIdleTimeoutMs <= 0) {
            throw new IllegalArgumentException("server.body_read_idle_timeout_ms: " + bodyReadIdleTimeoutMs
                    + " (expected: > 0)");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null);
    }
}
