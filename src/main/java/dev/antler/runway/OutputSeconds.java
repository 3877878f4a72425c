package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.security.BaseUrlGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seconds of a finished video, read from its MP4 header at the upstream's result URL ({@link Mp4Duration}) with
 * {@code Range} requests: a few small reads, the URL guard checked first, never more than {@link #FIRST_READ} bytes
 * from a host that ignores {@code Range}. Blocking (the poller's and the reads' threads). Null when the length
 * cannot be read: the charge held then stands.
 */
final class OutputSeconds {

    private static final Logger log = LoggerFactory.getLogger(OutputSeconds.class);
    private static final int FIRST_READ = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final BaseUrlGuard guard;
    private volatile HttpClient http;

    OutputSeconds(BaseUrlGuard guard) {
        this.guard = requireNonNull(guard, "guard");
    }

    /** The whole seconds of the video at {@code url} (at least 1), or null when they cannot be read. */
    Long of(String url) {
        if (url == null || !url.matches("(?i)https?://.+") || guard.refusal(url).isPresent()) {
            return null;
        }
        byte[][] first = new byte[1][];
        double seconds = Mp4Duration.seconds((offset, length) -> {
            if (first[0] == null) {
                first[0] = range(url, 0, FIRST_READ);
                if (first[0] == null) {
                    return null;
                }
            }
            byte[] known = first[0];
            if (offset + length <= known.length || known.length < FIRST_READ) { // within it, or the file ended there
                int from = (int) Math.min(offset, known.length);
                return Arrays.copyOfRange(known, from, (int) Math.min(known.length, offset + length));
            }
            return range(url, offset, length);
        });
        if (seconds <= 0) {
            log.info("result video of length unknown (not an MP4 header read within {} bytes); its charge stands",
                    FIRST_READ);
            return null;
        }
        return Math.max(1, Math.round(seconds));
    }

    /** Up to {@code length} bytes at {@code offset}; null when the host cannot serve that range. */
    private byte[] range(String url, long offset, int length) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Range", "bytes=" + offset + "-" + (offset + length - 1)).GET().build();
        try {
            HttpResponse<InputStream> response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                boolean whole = response.statusCode() == 200;
                if (response.statusCode() != 206 && !(whole && offset == 0)) {
                    return null; // an error, or the whole file where a later range was asked
                }
                return body.readNBytes(length);
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                    http = client;
                }
            }
        }
        return client;
    }
}
