package dev.antler.testing;

import dev.antler.config.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Several gateways as separate JVMs ({@link GatewayProcess}) on one shared store, as behind a load balancer:
 * each with its own port and config file, the same database, admin key and {@code settings} (the YAML of
 * channels, users, prices, billing, cluster...). The first one migrates and seeds the store before the others
 * start. {@link #start} returns once every instance counts all of them live ({@code /health/ready}'s
 * {@code instances}). {@link #close} kills every process by its pid.
 *
 * <pre>{@code
 * DatabaseConfig store = databases.create(Engine.POSTGRESQL);
 * try (GatewayProcesses gateways = GatewayProcesses.start("cluster", 3, store, ADMIN_KEY, settings, dir)) {
 *     gateways.get(0).baseUrl() ...
 * }
 * }</pre>
 */
public final class GatewayProcesses implements AutoCloseable {

    private final List<GatewayProcess> processes;

    private GatewayProcesses(List<GatewayProcess> processes) {
        this.processes = processes;
    }

    public static GatewayProcesses start(String name, int count, DatabaseConfig database, String adminKey,
                                         String settings, Path dir) {
        SuiteSecrets.record(adminKey);
        List<GatewayProcess> started = new ArrayList<>();
        try {
            started.add(startOne(name, 0, database, adminKey, settings, dir));
            // the first one migrated and seeded the store; the others start together
            List<CompletableFuture<GatewayProcess>> others = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int index = i;
                others.add(CompletableFuture.supplyAsync(() -> startOne(name, index, database, adminKey, settings, dir),
                        task -> Thread.ofPlatform().start(task)));
            }
            RuntimeException failure = null;
            for (CompletableFuture<GatewayProcess> other : others) {
                try {
                    started.add(other.join());
                } catch (CompletionException e) {
                    failure = failure == null ? (RuntimeException) e.getCause() : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            GatewayProcesses group = new GatewayProcesses(List.copyOf(started));
            group.awaitInstances(count);
            return group;
        } catch (RuntimeException e) {
            started.forEach(GatewayProcess::close);
            throw e;
        }
    }

    private static GatewayProcess startOne(String name, int index, DatabaseConfig database, String adminKey,
                                           String settings, Path dir) {
        try {
            int port = freePort();
            Path config = dir.resolve(name + "-" + index + ".yaml");
            Files.writeString(config, """
                    server: { port: %d, host: 127.0.0.1, event_loops: 2 }
                    database: { url: "%s", username: %s, password: %s, pool_size: 8 }
                    admin: { key: "%s" }
                    %s
                    """.formatted(port, database.url(), yaml(database.username()), yaml(database.password()),
                    adminKey, settings));
            return GatewayProcess.start(config, GatewayProcess.outputFile(name + "-" + index), port, adminKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GatewayProcess get(int index) {
        return processes.get(index);
    }

    public List<GatewayProcess> all() {
        return processes;
    }

    public int size() {
        return processes.size();
    }

    /** Waits until every instance says {@code count} instances are live (their heartbeats seen). */
    public void awaitInstances(int count) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (GatewayProcess process : processes) {
            String last = "";
            while (!last.contains("\"instances\":" + count)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("instance " + process.baseUrl() + " did not see " + count
                            + " instances live within 30 s; its /health/ready said: " + last);
                }
                try {
                    last = http.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                    Thread.sleep(50);
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** The processes' output, for assertion messages. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            all.append("--- instance ").append(i).append(" ---\n").append(processes.get(i).log());
        }
        return all.toString();
    }

    private static String yaml(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Kills every process (SIGKILL, by pid). */
    @Override
    public void close() {
        processes.forEach(GatewayProcess::close);
    }
}
