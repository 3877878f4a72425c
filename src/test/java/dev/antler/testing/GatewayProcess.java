package dev.antler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a separate JVM ({@code java -cp <test classpath> dev.antler.Main serve}), so tests
 * can kill it with SIGKILL or stop it with SIGTERM. It logs with the production logback.xml into
 * {@code output}, never into the suite's own log.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    private GatewayProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** A fresh file under target/test-logs/ for a process's output, searched by the log leak scan. */
    public static Path outputFile(String name) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "test-logs"));
            Path file = directory.resolve("process-" + name + "-" + ProcessHandle.current().pid() + ".log");
            Files.deleteIfExists(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GatewayProcess start(Path config, Path output, int port, String adminKey) {
        return start(config, output, port, adminKey, List.of());
    }

    /** A gateway process with {@code jvmFlags} after the defaults, as an operator's {@code JAVA_OPTS} would add. */
    public static GatewayProcess start(Path config, Path output, int port, String adminKey, List<String> jvmFlags) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String logback = GatewayProcess.class.getResource("/logback.xml").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + logback));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.antler.Main", "serve", "--config",
                config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ANTLER_"));
        try {
            GatewayProcess started = new GatewayProcess(builder.start(), output, port);
            started.awaitReady(adminKey);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(String adminKey) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        // a JVM start on a busy shared machine can take a minute
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway process ended: " + log());
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/admin/users"))
                        .header("Authorization", "Bearer " + adminKey).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("the gateway process did not answer within 180 s: " + log());
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the graceful stop. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the gateway process did not stop within 60 s of SIGTERM: " + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
