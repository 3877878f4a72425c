package dev.antler.config;

/**
 * Several gateway instances on one store (PostgreSQL or MySQL/MariaDB; SQLite works too for processes on one
 * host). Nothing to turn on: each instance stamps a heartbeat row, and only while more than one is live do
 * admissions take their holds in the store.
 *
 * @param heartbeatMs       how often an instance stamps its heartbeat and counts the live ones (default 1000)
 * @param instanceTimeoutMs an instance whose heartbeat is older than this counts as gone: it no longer makes
 *                          the others check holds in the store, and its holds are released (default 10000)
 * @param pollMs            how often an instance reads the change notices of the others (default 1000); while
 *                          they arrive over Redis pub/sub, every 5 s (or this, if longer) as a safety net
 */
public record ClusterConfig(Long heartbeatMs, Long instanceTimeoutMs, Long pollMs) {

    public ClusterConfig {
        heartbeatMs = heartbeatMs == null ? 1_000L : heartbeatMs;
        instanceTimeoutMs = instanceTimeoutMs == null ? 10_000L : instanceTimeoutMs;
        pollMs = pollMs == null ? 1_000L : pollMs;
        if (heartbeatMs < 10 || pollMs < 10) {
            throw new IllegalArgumentException("cluster.heartbeat_ms / poll_ms: " + heartbeatMs + " / " + pollMs
                    + " (expected: each >= 10)");
        }
        if (instanceTimeoutMs < 2 * heartbeatMs) {
            throw new IllegalArgumentException("cluster.instance_timeout_ms: " + instanceTimeoutMs
                    + " (expected: at least twice cluster.heartbeat_ms, " + 2 * heartbeatMs + ")");
        }
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(null, null, null);
    }
}
