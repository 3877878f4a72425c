package dev.antler.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TLS terminator in front of a local port, as a reverse proxy stands in front of the gateway: for clients that
 * only speak TLS (the openai Node SDK's realtime client always dials {@code wss://}). Its certificate is
 * self-signed for 127.0.0.1 and made with the running JDK's keytool; {@link #caPem()} is it as PEM, for a client to
 * trust ({@code NODE_EXTRA_CA_CERTS}). Bytes pass through unchanged both ways.
 */
public final class TlsFront implements AutoCloseable {

    private static final String PASSWORD = "tls-front-test";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final Path directory;
    private final NetServer server;

    private TlsFront(int targetPort) throws IOException, InterruptedException {
        directory = Files.createTempDirectory("antler-tls-front-");
        Path keystore = directory.resolve("front.p12");
        keytool("-genkeypair", "-alias", "front", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "front", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", caPem().toString());
        NetClient client = vertx.createNetClient();
        server = vertx.createNetServer(new NetServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)));
        server.connectHandler(in -> {
            in.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(out -> pipe(in, out)).onFailure(e -> in.close());
        });
        server.listen(0, "127.0.0.1").await();
    }

    /** A TLS front for {@code 127.0.0.1:targetPort}. */
    public static TlsFront to(int targetPort) {
        try {
            return new TlsFront(targetPort);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pipe(NetSocket in, NetSocket out) {
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
    }

    public int port() {
        return server.actualPort();
    }

    /** The front's certificate in PEM. */
    public Path caPem() {
        return directory.resolve("front.pem");
    }

    /**
     * The front's certificate as a PKCS12 trust store (password {@code password}), for a JVM to trust through
     * {@code -Djavax.net.ssl.trustStore}.
     */
    public Path trustStore(String password) throws IOException, InterruptedException {
        Path store = directory.resolve("trust.p12");
        if (!Files.exists(store)) {
            keytool("-importcert", "-noprompt", "-alias", "front", "-file", caPem().toString(), "-keystore",
                    store.toString(), "-storetype", "PKCS12", "-storepass", password);
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            keytool.destroyForcibly();
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException {
        vertx.close().await();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }
}
