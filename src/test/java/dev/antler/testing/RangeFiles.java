package dev.antler.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** A fake CDN's answer with a file: whole (200), or the single {@code Range: bytes=a-b} asked (206; 416 past the end). */
public final class RangeFiles {

    private RangeFiles() {}

    /** Sends {@code bytes}, honouring a single byte range; the content headers are the caller's. */
    public static void send(HttpExchange ex, byte[] bytes) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = bytes.length - 1;
        int status = 200;
        if (range != null && range.matches("bytes=\\d+-\\d*")) {
            String[] r = range.substring(6).split("-", -1);
            from = Integer.parseInt(r[0]);
            to = r[1].isEmpty() ? to : Math.min(to, Integer.parseInt(r[1]));
            if (from > to) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                ex.sendResponseHeaders(416, -1);
                ex.close();
                return;
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + bytes.length);
        }
        ex.sendResponseHeaders(status, to - from + 1);
        try (var out = ex.getResponseBody()) {
            out.write(bytes, from, to - from + 1);
        }
    }
}
