package dev.antler.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis for tests: the machine's shared Redis (127.0.0.1:6379, or {@code ANTLER_TEST_REDIS_URL}), used under a key
 * prefix of the test's own and never stopped; or a Redis of the test's own ({@link #own()}) on a free port, which
 * the test may stop and start again, or freeze and thaw (by pid). Tests are skipped, saying why, when no Redis is
 * there. Commands are sent over a plain socket in the RESP protocol, so the tests do not read Redis through the code
 * under test.
 */
public final class TestRedis implements AutoCloseable {

    private static final String SHARED_HOST = "127.0.0.1";
    private static final int SHARED_PORT = 6379;

    private final int port;
    private final Path directory;
    private Process process;

    private TestRedis(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** The shared Redis's URL; skips the test when it does not answer. */
    public static String sharedUrl() {
        String override = System.getenv("ANTLER_TEST_REDIS_URL");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try {
            command(SHARED_PORT, "PING");
        } catch (RuntimeException e) {
            Assumptions.abort("no Redis at " + SHARED_HOST + ":" + SHARED_PORT + " (" + e.getMessage()
                    + "): the shared-limits tests need one (or ANTLER_TEST_REDIS_URL)");
        }
        return "redis://" + SHARED_HOST + ":" + SHARED_PORT + "/0";
    }

    /** A key prefix no other test uses. */
    public static String uniquePrefix() {
        return "antler-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Deletes the shared Redis's keys under {@code prefix}. */
    public static void deleteShared(String prefix) {
        List<String> keys = asList(command(SHARED_PORT, "KEYS", prefix + "*"));
        for (String key : keys) {
            command(SHARED_PORT, "DEL", key);
        }
    }

    /** A Redis of the test's own on a free port (no persistence); skips the test when redis-server is missing. */
    public static TestRedis own() {
        Path binary = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(binary)) {
            Assumptions.abort("redis-server is not installed (" + binary + "): this test starts its own Redis");
        }
        try {
            TestRedis redis = new TestRedis(freePort(), Files.createTempDirectory("antler-redis-"));
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again, on the same port) and waits until it answers. */
    public void start() {
        try {
            process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", directory.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                command(port, "PING");
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server on port " + port + " did not start", e);
                }
                sleep(20);
            }
        }
    }

    /** Kills the server (SIGKILL, by its pid), as a crash would, and waits for it to be gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Stops the server without closing its connections (SIGSTOP, by its pid): a Redis that hangs, answering none. */
    public void freeze() {
        signal("-STOP");
    }

    /** Lets a {@link #freeze frozen} server go on (SIGCONT): it answers what it was sent meanwhile. */
    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + ": exit " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A command to this server: its reply as a string, a number, or a list. */
    public Object command(String... args) {
        return command(port, args);
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // left in the temporary directory
        }
    }

    /** One command on a fresh connection to 127.0.0.1:{@code port}. */
    public static Object command(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(SHARED_HOST, port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("redis at port " + port + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static List<String> asList(Object reply) {
        List<String> all = new ArrayList<>();
        for (Object item : (List<Object>) reply) {
            all.add(String.valueOf(item));
        }
        return all;
    }

    private static Object reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("redis error: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                yield new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(reply(in));
                }
                yield items;
            }
            default -> throw new IllegalStateException("redis reply type: " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
