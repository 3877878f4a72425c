package dev.antler.app;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.Authenticator;
import dev.antler.admin.AdminApi;
import dev.antler.admin.AdminContext;
import dev.antler.admin.AdminEdits;
import dev.antler.balance.BalanceApi;
import dev.antler.billing.BalanceBook;
import dev.antler.billing.DeadLetters;
import dev.antler.billing.LedgerBacklog;
import dev.antler.billing.LedgerWriter;
import dev.antler.billing.PriceBook;
import dev.antler.billing.PriceStore;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ServerConfig;
import dev.antler.cluster.ChangeApplier;
import dev.antler.cluster.ChangeNotices;
import dev.antler.cluster.Cluster;
import dev.antler.config.BillingConfig;
import dev.antler.config.LoggingConfig;
import dev.antler.console.Console;
import dev.antler.console.api.ConsoleApi;
import dev.antler.family.Families;
import dev.antler.family.Family;
import dev.antler.family.FamilyContext;
import dev.antler.files.FileMirror;
import dev.antler.files.Mirroring;
import dev.antler.health.ChannelProbes;
import dev.antler.health.ChannelSwitch;
import dev.antler.health.ChannelTester;
import dev.antler.console.web.ConsoleAssets;
import dev.antler.console.web.ConsoleRoutes;
import dev.antler.health.HealthRoutes;
import dev.antler.health.Readiness;
import dev.antler.http.AccessLog;
import dev.antler.http.EdgeVerticle;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.images.ImageDialects;
import dev.antler.limits.LimitSetup;
import dev.antler.limits.LimitStore;
import dev.antler.limits.Limits;
import dev.antler.metrics.MetricsEndpoint;
import dev.antler.metrics.RelayMetrics;
import dev.antler.metrics.UpstreamPools;
import dev.antler.redis.RedisSetup;
import dev.antler.relay.Relay;
import dev.antler.relay.RelayServices;
import dev.antler.relay.UpstreamClient;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelRegistry;
import dev.antler.routing.ChannelStore;
import dev.antler.security.BaseUrlGuard;
import dev.antler.security.ServerSecret;
import dev.antler.security.Cors;
import dev.antler.store.Database;
import dev.antler.tasks.ResultLinks;
import dev.antler.tasks.TaskResults;
import dev.antler.tasks.TaskUpstream;
import dev.antler.tasks.Tasks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway, assembled from a config: store, seeding, accounts, billing, routing, the relay
 * and the HTTP edge. {@link #close()} stops it gracefully: no new connections, requests in flight
 * drained, every settled charge written.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final Database database;
    private final Cluster cluster;
    private final LedgerWriter ledger;
    private final Vertx vertx;
    private final ExecutorService blocking;
    private final int port;
    private final Optional<String> generatedAdminKey;
    private final AdminContext admin;
    private final Tasks tasks;
    private final Readiness readiness;
    private final MetricsEndpoint metrics;
    private final long drainDelayMs;
    /** What instances share through Redis; null without {@code redis.url}. */
    private final RedisSetup redis;

    private Gateway(Database database, Cluster cluster, LedgerWriter ledger, Vertx vertx, ExecutorService blocking, int port,
                    Optional<String> generatedAdminKey, AdminContext admin, Tasks tasks, Readiness readiness,
                    MetricsEndpoint metrics, long drainDelayMs, RedisSetup redis) {
        this.redis = redis;
        this.tasks = tasks;
        this.readiness = readiness;
        this.metrics = metrics;
        this.drainDelayMs = drainDelayMs;
        this.database = database;
        this.cluster = cluster;
        this.ledger = ledger;
        this.vertx = vertx;
        this.blocking = blocking;
        this.port = port;
        this.generatedAdminKey = generatedAdminKey;
        this.admin = admin;
    }

    public static Gateway start(AntlerConfig config, Clock clock) {
        return start(config, clock, Families.builtIn());
    }

    /** The gateway with {@code families} mounted (their routes, channel types, probes and default prices). */
    public static Gateway start(AntlerConfig config, Clock clock, Families families) {
        // Starting Vert.x (Netty's class loading and set-up) and reading the console's files overlap with opening and
        // migrating the store.
        CompletableFuture<ConsoleAssets> consoleAssets = CompletableFuture.supplyAsync(ConsoleAssets::load,
                task -> Thread.ofPlatform().name("antler-assets").start(task));
        UpstreamPools pools = new UpstreamPools();
        CompletableFuture<Vertx> vertxStarted = CompletableFuture.supplyAsync(
                () -> Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(config.server().eventLoops())
                                .setPreferNativeTransport(config.server().nativeTransport())
                                .setDisableTCCL(true).setMetricsOptions(new MetricsOptions().setEnabled(true)))
                        .withMetrics(options -> pools).build(),
                task -> Thread.ofPlatform().name("antler-start").start(task));
        Database database = null;
        Cluster cluster = null;
        AccountStore accounts;
        ChannelStore channelStore;
        PriceStore priceStore;
        LimitStore limitStore;
        AdminEdits adminEdits;
        AdminKey.Established adminKey;
        ServerSecret serverSecret;
        try {
            try {
                database = Database.open(config.database());
            } catch (IllegalArgumentException e) {
                throw StartFailure.config(e.getMessage());
            } catch (Database.SchemaNewerThanBuild e) {
                throw StartFailure.schemaNewerThanBuild(config.database().url(), e);
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).startsWith("database directory:")) {
                    throw StartFailure.databaseDirectory(e.getMessage(), e);
                }
                if (StartFailure.isMigrationFailure(e)) {
                    throw StartFailure.migration(config.database().url(), e);
                }
                throw StartFailure.isConnectionFailure(e) ? StartFailure.database(config.database().url(), e) : e;
            }
            accounts = new AccountStore(database, clock);
            channelStore = new ChannelStore(database, clock);
            priceStore = new PriceStore(database, clock);
            limitStore = new LimitStore(database, clock);
            cluster = Cluster.start(database, config.cluster(), clock);
            adminEdits = new AdminEdits(database, clock, cluster.notices());
            StoreSetUp.Done setUp;
            try {
                setUp = StoreSetUp.run(database, new Seeder(accounts, channelStore, priceStore, limitStore, adminEdits,
                        families), accounts, channelStore, config);
            } catch (IllegalArgumentException e) {
                throw StartFailure.config(e.getMessage());
            } catch (Database.LockBusy e) {
                throw StartFailure.storeBusy(config.database().url(), e);
            }
            adminKey = setUp.adminKey();
            serverSecret = setUp.serverSecret();
        } catch (RuntimeException e) {
            vertxStarted.thenAccept(Vertx::close);
            if (cluster != null) {
                cluster.close();
            }
            if (database != null) {
                database.close();
            }
            throw e;
        }

        ChannelHealth health = new ChannelHealth(clock, new ChannelHealth.Settings(config.health().breakerFailures(),
                config.health().breakerWindowMs(), config.health().breakerOpenMs(), config.health().maxRetryAfterMs()));
        ChannelRegistry registry = new ChannelRegistry(health, families.defaultBaseUrls());
        registry.replace(channelStore.list());
        PriceBook priceBook = new PriceBook(families.defaultPrices());
        priceBook.replaceOverrides(priceStore.all());
        BillingConfig billing = config.billing();
        BalanceBook balances = new BalanceBook(new LedgerBacklog(clock, billing.maxUnwrittenEntries(),
                billing.maxUnwrittenAgeMs()));
        Limits limits = LimitSetup.start(config.server(), limitStore, clock);
        LedgerWriter ledger = new LedgerWriter(database, balances, new DeadLetters(deadLetterFile(config), billing.deadLetterReserveBytes()), clock,
                new LedgerWriter.Timing(billing.flushIntervalMs(), billing.flushBatchSize(), billing.stopWaitMs()));
        cluster.shareHolds(balances, ledger);
        replayUnwrittenAtStop(ledger);

        Vertx vertx = vertxStarted.join();
        HttpClient upstream = vertx.createHttpClient(new HttpClientOptions()
                        .setTcpNoDelay(true)
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(50)
                        .setDecompressionSupported(false)
                        .setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(config.server().upstreamMaxConnections()).setHttp2MaxSize(8).setMaxWaitQueueSize(-1));
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        Authenticator authenticator = new Authenticator(accounts, clock, blocking, Duration.ofSeconds(30));
        Path spool = spoolDirectory();

        BaseUrlGuard baseUrlGuard = new BaseUrlGuard(config.security().allowPrivateBaseUrls());
        // OpenAI's envelope is the gateway's default: for paths no family serves.
        Routes routes = new Routes(OpenAiErrorFormat.INSTANCE);
        FileMirror mirror = Mirroring.start(config.mirror(), vertx, upstream, routes, clock, baseUrlGuard);
        Tasks tasks = new Tasks(database, ledger, registry, config.tasks(), clock,
                new TaskResults.Io(vertx, upstream, mirror, blocking, baseUrlGuard));
        routes.prefix(ResultLinks.PATH, OpenAiErrorFormat.INSTANCE,
                ex -> tasks.results().handle(ex, ResultLinks.PATH));
        RelayMetrics relayMetrics = new RelayMetrics();
        UpstreamClient relayClient = new UpstreamClient(vertx, config.server().upstreamMaxConnections(), pools);
        RelayServices services = new RelayServices(vertx, upstream, relayClient, authenticator, registry, priceBook, balances,
                ledger, config.billing(), spool, RandomGenerator.getDefault(), clock,
                4, limits, tasks, blocking, relayMetrics);
        LimitSetup.refreshPeriodically(vertx, limits);
        Relay relay = new Relay(services);
        watchChannels(vertx, upstream, channelStore, registry, config.health().testIntervalSeconds(),
                ChannelProbes.of(families), cluster.notices());
        cluster.apply(new ChangeApplier(registry, channelStore, priceBook, priceStore, accounts, authenticator, limits,
                balances, ledger, cluster.shareBreakers(registry)));
        AdminContext admin = new AdminContext(vertx, database, accounts, channelStore, priceStore, registry, priceBook,
                balances, ledger, authenticator, adminKey.key(), clock, limits, baseUrlGuard, adminEdits, families,
                Console.start(config.console(), database, vertx, clock));

        FamilyContext familyContext = new FamilyContext(routes, relay, tasks, mirror, blocking,
                config.mirror().publicBaseUrl(), baseUrlGuard, new TaskUpstream(vertx, upstream), new ImageDialects(),
                serverSecret, database);
        for (Family family : families.all()) {
            family.mount(familyContext);
        }
        BalanceApi.register(routes, relay, accounts);
        AdminApi.register(routes, admin, ConsoleApi.register(routes, admin));
        Readiness readiness = new Readiness(vertx, database);
        HealthRoutes.register(routes, readiness, cluster::liveInstances);
        ConsoleRoutes.register(routes, joined(consoleAssets));
        MetricsEndpoint metrics = new MetricsEndpoint(vertx, relayMetrics, pools, registry, ledger, database, clock,
                config.metrics().taskCountsMs(), config.metrics().token());
        metrics.register(routes);
        RedisSetup redis = RedisSetup.start(vertx, config.redis(), clock, limits, readiness, metrics);
        if (redis != null) {
            cluster.carryNoticesOver(redis.notices());
            cluster.shareHoldsOn(redis.holds());
        }

        int port = config.server().port() == 0 ? freePort() : config.server().port();
        try {
            Cors cors = new Cors(config.security().corsAllowedOrigins(), config.security().adminCorsAllowedOrigins(),
                    accessLogged(config.logging(), authenticator, routes));
            LongAdder connections = new LongAdder();
            metrics.add("antler_http_connections", "gauge", "HTTP/1 client connections open now (one upgraded to a"
                    + " WebSocket leaves this count).", connections::sum);
            vertx.deployVerticle(() -> new EdgeVerticle(cors, config.server(), port, DRAIN_TIMEOUT, connections),
                            new DeploymentOptions().setInstances(config.server().eventLoops()))
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (redis != null) {
                redis.close();
            }
            tasks.close();
            vertx.close();
            ledger.close();
            cluster.close();
            database.close();
            throw StartFailure.port(config.server().host(), port, e);
        }
        tasks.start();
        log.info("Antler listening on {}:{} ({} store, {})", config.server().host(), port, database.dialect(),
                transport(vertx, config.server()));
        return new Gateway(database, cluster, ledger, vertx, blocking, port, adminKey.generatedPlainText(), admin, tasks,
                readiness, metrics, config.health().drainDelayMs(), redis);
    }

    /** Which transport serves and calls upstreams; a native one asked for but not loaded is warned about. */
    private static String transport(Vertx vertx, ServerConfig server) {
        if (server.nativeTransport() && !vertx.isNativeTransportEnabled()) {
            Throwable cause = vertx.unavailableNativeTransportCause();
            log.warn("the native epoll transport did not load ({}); the JDK's selector serves instead",
                    cause == null ? "not on this platform" : cause.toString());
        }
        return transportName(vertx);
    }

    private static String transportName(Vertx vertx) {
        return vertx.isNativeTransportEnabled() ? "native epoll transport" : "JDK selector transport";
    }

    /** The transport connections are served and upstreams called through (server.native_transport). */
    public String transport() {
        return transportName(vertx);
    }

    /** Settlements a stop could not write (the store was failing) are applied before the first request. */
    private static void replayUnwrittenAtStop(LedgerWriter ledger) {
        if (ledger.deadLetters().count() == 0) {
            return;
        }
        try {
            LedgerWriter.Replayed replayed = ledger.replay(l -> l.reason().equals(DeadLetters.UNWRITTEN_AT_STOP))
                    .get(60, TimeUnit.SECONDS);
            log.info("ledger: re-applied {} settlements left unwritten by the last stop ({} were applied already, "
                    + "{} rejected; {} entries remain in {})", replayed.applied(), replayed.alreadyApplied(),
                    replayed.rejected(), ledger.deadLetters().count(), ledger.deadLetters().file());
        } catch (Exception e) {
            log.error("ledger: settlements left by the last stop are not re-applied yet ({}); they stay in {}",
                    e.toString(), ledger.deadLetters().file());
        }
    }

    /** billing.dead_letter_file, else beside the SQLite file, else under data/. */
    private static Path deadLetterFile(AntlerConfig config) {
        if (config.billing().deadLetterFile() != null) {
            return Path.of(config.billing().deadLetterFile());
        }
        Path directory = Database.sqliteFile(config.database().url())
                .map(file -> file.toAbsolutePath().getParent()).orElse(Path.of("data"));
        return directory.resolve("ledger-dead-letters.jsonl");
    }

    /**
     * Channels whose upstream refuses their key or billing are disabled; those the gateway disabled
     * itself are tested every {@code intervalSeconds} and enabled again when they pass.
     */
    private static void watchChannels(Vertx vertx, HttpClient upstream, ChannelStore store, ChannelRegistry registry,
                                      int intervalSeconds, ChannelProbes probes, ChangeNotices notices) {
        ChannelSwitch channelSwitch = new ChannelSwitch(vertx, store, registry, notices);
        registry.health().onDisable(channelSwitch::disable);
        if (intervalSeconds > 0) {
            ChannelTester tester = new ChannelTester(upstream, registry, channelSwitch, probes);
            vertx.setPeriodic(intervalSeconds * 1000L, id -> tester.testAutoDisabled());
        }
    }

    /** Where this process spools uploads; removed on stop. */
    private static Path spoolDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "antler-spool-" + ProcessHandle.current().pid());
    }

    /** The routes, each request watched for the access log when {@code logging.access_log} is on. */
    private static io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> accessLogged(LoggingConfig logging,
            Authenticator authenticator, Routes routes) {
        if (!logging.accessLogOn()) {
            return routes::dispatch;
        }
        AccessLog accessLog = new AccessLog(logging.json(), authenticator::cachedKeyId);
        return request -> {
            accessLog.watch(request);
            routes.dispatch(request);
        };
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public int port() {
        return port;
    }

    /** The admin key generated on this first start, to print once; empty otherwise. */
    public Optional<String> generatedAdminKey() {
        return generatedAdminKey;
    }

    public AdminContext admin() {
        return admin;
    }

    public Database database() {
        return database;
    }

    public LedgerWriter ledger() {
        return ledger;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Readiness readiness() {
        return readiness;
    }

    public MetricsEndpoint metrics() {
        return metrics;
    }

    /** Whether limits are shared through Redis now (false when Redis is off or unreachable). */
    public boolean redisUp() {
        return redis != null && redis.up();
    }

    @Override
    public void close() {
        readiness.drain();
        if (drainDelayMs > 0) {
            // Still serving everything: load balancers see /health/ready answer 503 and stop sending.
            log.info("draining: /health/ready answers 503 for {} ms before the listener closes", drainDelayMs);
            try {
                Thread.sleep(drainDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            // Drain the edge first: requests in flight still need the upstream client, which closing
            // Vert.x closes at once ("Client is closed" thrown into the relay, holds never settled).
            Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
                    .await(DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the edge did not drain cleanly: {}", e.toString());
        }
        tasks.close();
        if (redis != null) {
            redis.close(); // after the drain: settling requests still close their shared counts
        }
        try {
            vertx.close().await(DRAIN_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("event loops did not stop cleanly: {}", e.toString());
        }
        ledger.close();
        cluster.close();
        blocking.shutdown();
        database.close();
        deleteSpool();
    }

    private static void deleteSpool() {
        Path spool = spoolDirectory();
        try (var files = Files.list(spool)) {
            files.forEach(f -> f.toFile().delete());
            Files.deleteIfExists(spool);
        } catch (IOException ignored) {
            // nothing spooled
        }
    }

    /** The value of a start-up step run beside the others; its own exception when it failed. */
    private static <T> T joined(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
