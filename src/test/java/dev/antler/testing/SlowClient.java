package dev.antler.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A client that reads a chunked answer slowly, over a socket with a small receive buffer: for an answer larger than
 * the gateway's socket send buffer (which grows to a few MB on loopback), the gateway's write queue fills and
 * back-pressure engages. Posts with the key both as a bearer token and in {@code x-api-key}, as an OpenAI or an
 * Anthropic client would send it.
 */
public final class SlowClient {

    private static final int RECEIVE_BUFFER = 4 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
    /** The first reads (of a kilobyte) are paced, long enough for the gateway to fill the socket's buffers. */
    private static final int PACED_READS = 1000;

    private SlowClient() {}

    /** A chunked answer: its status line and headers as received, and its body, de-chunked. */
    public record Answer(String head, String body) {
        public String header(String name) {
            String prefix = "\r\n" + name.toLowerCase(Locale.ROOT) + ": ";
            int start = head.toLowerCase(Locale.ROOT).indexOf(prefix);
            if (start < 0) {
                throw new AssertionError("no " + name + " header in " + head);
            }
            start += prefix.length();
            int end = head.indexOf("\r\n", start);
            return head.substring(start, end < 0 ? head.length() : end);
        }
    }

    /** Posts {@code json} to {@code path} and reads the chunked answer to its last chunk, slowly at first. */
    public static Answer post(GatewayHarness gateway, String path, String key, String json) {
        SuiteSecrets.record("Bearer " + key);
        SuiteSecrets.record(key);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting, so the window is small from the start
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\n"
                    + "Authorization: Bearer " + key + "\r\nx-api-key: " + key + "\r\nanthropic-version: 2023-06-01\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readSlowly(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer readSlowly(InputStream in) throws IOException, InterruptedException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] piece = new byte[1024];
        for (int reads = 0; ; reads++) {
            if (reads < PACED_READS) {
                Thread.sleep(2);
            }
            int n = in.read(piece);
            if (n < 0) {
                throw new AssertionError("connection closed before the last chunk, after "
                        + received.size() + " bytes");
            }
            received.write(piece, 0, n);
            // parsed only when it may be whole: ending with the last chunk, or after a read too short to tell
            if (n < LAST_CHUNK.length || endsWith(piece, n, LAST_CHUNK)) {
                Answer answer = dechunked(received.toByteArray());
                if (answer != null) {
                    return answer;
                }
            }
        }
    }

    /** The answer in {@code bytes} once its last (empty) chunk arrived, else null. */
    private static Answer dechunked(byte[] bytes) {
        int headEnd = indexOf(bytes, 0, HEAD_END);
        if (headEnd < 0) {
            return null;
        }
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
        if (!head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            throw new AssertionError("not a chunked answer: " + head);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int at = headEnd + 4; ; ) {
            int lineEnd = indexOf(bytes, at, CRLF);
            if (lineEnd < 0) {
                return null;
            }
            int size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII).trim(), 16);
            if (size == 0) {
                return new Answer(head, body.toString(StandardCharsets.UTF_8));
            }
            int dataStart = lineEnd + 2;
            if (dataStart + size + 2 > bytes.length) {
                return null;
            }
            body.write(bytes, dataStart, size);
            at = dataStart + size + 2;
        }
    }

    private static int indexOf(byte[] bytes, int from, byte[] pattern) {
        for (int i = from; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWith(byte[] bytes, int length, byte[] tail) {
        return length >= tail.length && Arrays.equals(bytes, length - tail.length, length, tail, 0, tail.length);
    }
}
