package dev.antler.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration file. Every section is optional; absent sections take their defaults.
 * Keys are snake_case in YAML; every scalar can be overridden from the environment (see
 * {@link EnvOverrides}).
 */
public record AntlerConfig(
        ServerConfig server,
        DatabaseConfig database,
        AdminConfig admin,
        BillingConfig billing,
        List<ChannelConfig> channels,
        Map<String, PriceConfig> prices,
        Map<String, GroupConfig> groups,
        List<UserConfig> users,
        MirrorConfig mirror,
        TasksConfig tasks,
        HealthConfig health,
        SecurityConfig security,
        MetricsConfig metrics,
        LoggingConfig logging,
        ClusterConfig cluster,
        ConsoleConfig console,
        RedisConfig redis) {

    public AntlerConfig {
        server = server == null ? ServerConfig.defaults() : server;
        database = database == null ? DatabaseConfig.defaults() : database;
        admin = admin == null ? new AdminConfig(null) : admin;
        billing = billing == null ? BillingConfig.defaults() : billing;
        channels = channels == null ? List.of() : List.copyOf(channels);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        users = users == null ? List.of() : List.copyOf(users);
        mirror = mirror == null ? MirrorConfig.defaults() : mirror;
        tasks = tasks == null ? TasksConfig.defaults() : tasks;
        health = health == null ? HealthConfig.defaults() : health;
        security = security == null ? SecurityConfig.defaults() : security;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        logging = logging == null ? LoggingConfig.defaults() : logging;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        console = console == null ? ConsoleConfig.defaults() : console;
        redis = redis == null ? RedisConfig.defaults() : redis;
    }

    public static AntlerConfig defaults() {
        return new AntlerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
