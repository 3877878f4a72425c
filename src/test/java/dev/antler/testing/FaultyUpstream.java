package dev.antler.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A fault-injecting OpenAI upstream on a raw TCP socket, so it can misbehave in ways a well-behaved
 * HTTP server will not: stall before or during the answer, reset the connection (RST) mid-stream,
 * truncate a chunked SSE stream, answer garbage or the wrong content type, or a huge body. Each request
 * gets the next scripted {@link Fault}, else the default one. Answers that succeed use OpenAI's
 * documented shapes ({@link OpenAiShapes}).
 */
public final class FaultyUpstream implements AutoCloseable {

    /** What to do with one request. */
    public enum Fault {
        OK, STALL_BEFORE_HEAD, STALL_MID_STREAM, RESET_MID_STREAM, RATE_LIMIT_RETRY_AFTER, SERVER_ERROR,
        UNAVAILABLE, GARBAGE_JSON, WRONG_CONTENT_TYPE, TRUNCATED_SSE, HUGE_BODY,
        /** A whole stream, {@code [DONE]} included, then an incomplete UTF-8 sequence (0xE2 0x82), and the connection closes. */
        INVALID_UTF8_TAIL,
        /** Two events of a stream, then an incomplete UTF-8 sequence, and the connection closes. */
        INVALID_UTF8_CUT
    }

    /** Bytes of generated text in a {@link Fault#HUGE_BODY} answer. */
    public static final int HUGE_TEXT_BYTES = 12 * 1024 * 1024;
    public static final String RETRY_AFTER_SECONDS = "30";
    /** How long a stall lasts before the connection is closed (far beyond the gateway's timeouts in tests). */
    private final long stallMs = 20_000;

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Fault> script = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Fault fallback = Fault.OK;
    private volatile java.util.function.Supplier<Fault> chooser;
    private final java.util.Map<Fault, AtomicInteger> served = new java.util.concurrent.ConcurrentHashMap<>();

    private FaultyUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    public static FaultyUpstream start() {
        try {
            return new FaultyUpstream();
        } catch (IOException e) {
            throw new IllegalStateException("faulty upstream did not start", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public FaultyUpstream enqueue(Fault... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    public FaultyUpstream always(Fault fault) {
        fallback = fault;
        return this;
    }

    /** Answers each request not scripted with a fault drawn at random by {@code weights}, from {@code seed}. */
    public FaultyUpstream randomly(long seed, java.util.Map<Fault, Integer> weights) {
        java.util.Random random = new java.util.Random(seed);
        List<Fault> faults = List.copyOf(weights.keySet());
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        chooser = () -> {
            int point;
            synchronized (random) {
                point = random.nextInt(total);
            }
            for (Fault f : faults) {
                point -= weights.get(f);
                if (point < 0) {
                    return f;
                }
            }
            return Fault.OK;
        };
        return this;
    }

    /** How many requests were answered with {@code fault}. */
    public int served(Fault fault) {
        AtomicInteger count = served.get(fault);
        return count == null ? 0 : count.get();
    }

    public int requests() {
        return requests.get();
    }

    public void reset() {
        script.clear();
        fallback = Fault.OK;
        chooser = null;
        requests.set(0);
        served.clear();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FaultyUpstream::closeQuietly);
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] body = readRequest(in);
                if (body == null) {
                    return;
                }
                requests.incrementAndGet();
                Fault fault = script.poll();
                java.util.function.Supplier<Fault> random = chooser;
                fault = fault != null ? fault : random != null ? random.get() : fallback;
                served.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
                if (!answer(fault, socket, out, OpenAiShapes.JSON.readTree(body))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the gateway went away or the test ended
        } finally {
            open.remove(socket);
        }
    }

    /** Answers one request; returns whether the connection stays usable. */
    private boolean answer(Fault fault, Socket socket, OutputStream out, JsonNode request)
            throws IOException, InterruptedException {
        String model = request.path("model").asString("gpt-4o-mini");
        boolean stream = request.path("stream").asBoolean(false);
        FakeReply reply = FakeReply.ok();
        switch (fault) {
            case OK -> {
                if (stream) {
                    sseHead(out);
                    for (String data : OpenAiShapes.chatChunks(model, reply, includeUsage(request))) {
                        chunk(out, "data: " + data + "\n\n");
                    }
                    chunk(out, "data: [DONE]\n\n");
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    String json = request.has("input") ? OpenAiShapes.embeddings(model, reply, false).toString()
                            : OpenAiShapes.chatCompletion(model, reply).toString();
                    full(out, 200, "application/json", json, "");
                }
                out.flush();
                return true;
            }
            case INVALID_UTF8_TAIL, INVALID_UTF8_CUT -> {
                // No chunked encoding: the body ends when the connection closes, as an HTTP/1.0 server ends it.
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                List<String> chunks = OpenAiShapes.chatChunks(model, reply, includeUsage(request));
                for (String data : fault == Fault.INVALID_UTF8_CUT ? chunks.subList(0, 2) : chunks) {
                    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
                if (fault == Fault.INVALID_UTF8_TAIL) {
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write(new byte[] {(byte) 0xE2, (byte) 0x82});
                out.flush();
                return false;
            }
            case STALL_BEFORE_HEAD -> {
                Thread.sleep(stallMs);
                return false;
            }
            case STALL_MID_STREAM, RESET_MID_STREAM, TRUNCATED_SSE -> {
                sseHead(out);
                List<String> chunks = OpenAiShapes.chatChunks(model, reply, includeUsage(request));
                chunk(out, "data: " + chunks.get(0) + "\n\n");
                chunk(out, "data: " + chunks.get(1) + "\n\n");
                out.flush();
                if (fault == Fault.STALL_MID_STREAM) {
                    Thread.sleep(stallMs);
                } else if (fault == Fault.RESET_MID_STREAM) {
                    socket.setSoLinger(true, 0);
                } else {
                    chunk(out, "data: {\"id\":\"chatcmpl-trunc");
                    out.flush();
                }
                return false;
            }
            case RATE_LIMIT_RETRY_AFTER -> {
                full(out, 429, "application/json", error("Rate limit reached for requests.", "requests",
                        "rate_limit_exceeded"), "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n");
                return true;
            }
            case SERVER_ERROR, UNAVAILABLE -> {
                full(out, fault == Fault.SERVER_ERROR ? 500 : 503, "application/json",
                        error("The server had an error while processing your request.", "server_error", null), "");
                return true;
            }
            case GARBAGE_JSON -> {
                full(out, 200, "application/json", "{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":{garbage", "");
                return true;
            }
            case WRONG_CONTENT_TYPE -> {
                full(out, 200, "text/html; charset=utf-8", "<html><body>Welcome to nginx!</body></html>", "");
                return true;
            }
            case HUGE_BODY -> {
                FakeReply huge = reply.content("a".repeat(HUGE_TEXT_BYTES));
                full(out, 200, "application/json", OpenAiShapes.chatCompletion(model, huge).toString(), "");
                return true;
            }
            default -> throw new IllegalStateException("fault: " + fault);
        }
    }

    private static boolean includeUsage(JsonNode request) {
        return request.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static String error(String message, String type, String code) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    private static void full(OutputStream out, int status, String contentType, String body, String extraHeaders)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + bytes.length
                + "\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static void sseHead(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one request (head and Content-Length body); null at end of stream. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
