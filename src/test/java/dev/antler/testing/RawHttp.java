package dev.antler.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * HTTP/1.1 calls to a gateway as SDKs make them (no HTTP/2 upgrade), and a raw socket client that
 * can hang up in the middle of an answer.
 */
public final class RawHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RawHttp() {}

    public static HttpResponse<String> post(GatewayHarness gateway, String path, String key, String json) {
        return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static HttpResponse<String> postForm(GatewayHarness gateway, String path, String key, FormData form) {
        return send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", form.contentType())
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        request.headers().firstValue("Authorization").ifPresent(SuiteSecrets::record);
        request.headers().firstValue("x-api-key").ifPresent(SuiteSecrets::record);
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Posts {@code json} over a plain socket, reads the answer until {@code marker} appears, then
     * closes the connection; returns what was read (head and body as received).
     */
    public static String postAndHangUpAfter(GatewayHarness gateway, String path, String key, String json,
                                            String marker) {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            write(socket, gateway, path, key, json);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!received.toString(StandardCharsets.UTF_8).contains(marker)) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new AssertionError("connection closed before " + marker + ": " + received);
                }
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts {@code json} over a plain socket and closes the connection once {@code condition} holds (10 s at most). */
    public static void postAndHangUpWhen(GatewayHarness gateway, String path, String key, String json,
                                         BooleanSupplier condition) {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            write(socket, gateway, path, key, json);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within 10 s");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Socket socket, GatewayHarness gateway, String path, String key, String json)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + gateway.port() + "\r\n"
                + "Authorization: Bearer " + key + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /**
     * Sends {@code head} and {@code body} as they are on a new connection to {@code port} and reads until the
     * gateway closes it (or resets it after its answer): for requests no HTTP client would send.
     */
    public static String exchange(int port, String head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readAll(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What arrives on {@code socket} until it is closed; a reset after an answer ends it like a close. */
    public static String readAll(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a reset after the answer: what was read is the answer
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
