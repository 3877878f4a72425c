package dev.antler.files;

import static java.util.Objects.requireNonNull;

import dev.antler.config.S3Config;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files kept in an S3-compatible bucket ({@code mirror.s3}), shared by every instance using it: a copy one instance
 * stored, another finds. A download is written to a local partial file ({@code mirror.directory}) and uploaded
 * whole with one PUT of known length, so an object is always complete (S3 keeps a PUT only once all its bytes came);
 * two instances storing one name at once each upload a whole file, the last one stays. Files are streamed from the
 * bucket through the gateway (the range asked passed on, the gateway's own headers) and never redirected to: the
 * bucket's host and keys never reach a client. When an object was stored is the bucket's {@code Last-Modified}.
 *
 * <p>The SDK is set up on a virtual thread while the gateway starts (it takes a noticeable part of a second); the
 * first call waits for it. All bytes travel on the gateway's Vert.x client, through presigned URLs.
 */
public final class BucketStore implements FileStore {

    private static final Logger log = LoggerFactory.getLogger(BucketStore.class);
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,64})</Code>");
    private static final int ERROR_BODY_BYTES = 8192;

    private final S3Config config;
    private final Vertx vertx;
    private final HttpClient http;
    private final Path scratch;
    private final Duration retention;
    private final Clock clock;
    private final long uploadTimeoutMs;
    private final CompletableFuture<Bucket> bucket;

    private BucketStore(S3Config config, Vertx vertx, HttpClient http, Path scratch, Duration retention, Clock clock,
                        long uploadTimeoutMs) {
        this.config = requireNonNull(config, "config");
        this.vertx = requireNonNull(vertx, "vertx");
        this.http = requireNonNull(http, "http");
        this.scratch = DiskStore.createDirectory(requireNonNull(scratch, "scratch"));
        this.retention = requireNonNull(retention, "retention");
        this.clock = requireNonNull(clock, "clock");
        this.uploadTimeoutMs = uploadTimeoutMs;
        this.bucket = new CompletableFuture<>();
        Thread.ofVirtual().name("mirror-bucket-setup").start(this::setUp);
    }

    /**
     * The store for {@code config}: downloads in progress in {@code scratch}, an upload taking at most
     * {@code uploadTimeoutMs}. Returns at once; whether the bucket answers is logged when known.
     */
    public static FileStore open(S3Config config, Vertx vertx, HttpClient http, Path scratch, Duration retention,
                                 Clock clock, long uploadTimeoutMs) {
        return new BucketStore(config, vertx, http, scratch, retention, clock, uploadTimeoutMs);
    }

    private void setUp() {
        try {
            long started = System.nanoTime();
            Bucket opened = Bucket.open(config, Duration.ofMillis(uploadTimeoutMs).plusMinutes(1));
            bucket.complete(opened);
            long setUpMs = (System.nanoTime() - started) / 1_000_000;
            opened.check().ifPresentOrElse(
                    reason -> log.warn("mirror {}: not usable, copies will fail and results are served from the "
                            + "upstream: {}", config.describe(), reason),
                    () -> log.info("mirror {}: ready (set up in {} ms)", config.describe(), setUpMs));
        } catch (RuntimeException | LinkageError e) {
            bucket.completeExceptionally(e);
            log.error("mirror {}: cannot be set up: {}", config.describe(), e.toString());
        }
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public String describe() {
        return config.describe() + ", downloads in progress in " + scratch;
    }

    @Override
    public Path partial(String name) {
        return scratch.resolve(FileNames.partialName(name));
    }

    /** The bucket, waited for: blocking. */
    private Bucket bucket() {
        try {
            return bucket.join();
        } catch (CompletionException e) {
            throw new StoreUnavailable("bucket not set up: " + e.getCause());
        }
    }

    private Future<Bucket> bucketLater() {
        return Future.fromCompletionStage(bucket, vertx.getOrCreateContext());
    }

    @Override
    public Future<Stored> store(Path partial, String name) {
        Future<Stored> stored = bucketLater().compose(b -> vertx.fileSystem().props(partial.toString())
                .compose(props -> vertx.fileSystem().open(partial.toString(), new OpenOptions().setRead(true))
                        .compose(file -> upload(b.put(b.key(name), FileNames.contentType(name)), file, props.size())
                                .eventually(file::close))
                        .map(v -> new Stored(name, props.size(), clock.instant()))));
        return stored.eventually(() -> vertx.fileSystem().delete(partial.toString()).otherwiseEmpty());
    }

    /** One PUT of the whole {@code file} ({@code size} bytes), within the upload time. */
    private Future<Void> upload(Bucket.Signed put, AsyncFile file, long size) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(put.url())
                .setConnectTimeout(10_000).setIdleTimeout(60_000);
        put.headers().forEach(options::putHeader);
        options.putHeader("Content-Length", Long.toString(size));
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(uploadTimeoutMs, t -> done.tryFail("upload timed out after " + uploadTimeoutMs
                + " ms"));
        http.request(options).compose(request -> {
            done.future().onFailure(e -> request.reset());
            return request.send(file);
        }).onComplete(sent -> {
            if (sent.failed()) {
                done.tryFail("upload broke off: " + sent.cause().getMessage());
            } else if (sent.result().statusCode() == 200) {
                sent.result().body().onComplete(v -> done.tryComplete());
            } else {
                refusal(sent.result()).onComplete(reason -> done.tryFail("the bucket refused the upload: "
                        + reason.result()));
            }
        });
        return done.future().eventually(() -> {
            vertx.cancelTimer(timer);
            return Future.succeededFuture();
        });
    }

    /** The bucket's status and error code (from at most the first 8 KiB of its answer). */
    private static Future<String> refusal(HttpClientResponse response) {
        Promise<String> reason = Promise.promise();
        Buffer body = Buffer.buffer();
        String status = "HTTP " + response.statusCode();
        response.handler(chunk -> {
            if (body.length() < ERROR_BODY_BYTES) {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(e -> reason.tryComplete(status));
        response.endHandler(v -> {
            Matcher code = ERROR_CODE.matcher(body.toString());
            reason.tryComplete(code.find() ? status + " " + code.group(1) : status);
        });
        return reason.future();
    }

    @Override
    public Optional<Stored> find(String name) {
        if (!FileNames.isServed(name)) {
            return Optional.empty();
        }
        Bucket b = bucket();
        Instant now = clock.instant();
        return b.head(b.key(name)).map(entry -> new Stored(name, entry.size(), entry.storedAt()))
                .filter(file -> !expired(file.storedAt(), now));
    }

    @Override
    public Optional<Stored> findKeyed(String key) {
        if (!FileNames.isKey(key)) {
            return Optional.empty();
        }
        Bucket b = bucket();
        Instant now = clock.instant();
        String folder = b.key("");
        return b.list(b.key(key + ".")).stream()
                .map(entry -> new Stored(entry.key().substring(folder.length()), entry.size(), entry.storedAt()))
                .filter(file -> FileNames.isKeyed(key, file.name()) && !expired(file.storedAt(), now))
                .max(Comparator.comparing(Stored::storedAt));
    }

    private boolean expired(Instant storedAt, Instant now) {
        return storedAt.plus(retention).isBefore(now);
    }

    @Override
    public Future<Void> send(HttpServerResponse out, Stored file, long first, long length) {
        return get(file, first, length, response -> {
            response.pipe().endOnFailure(false).to(out).onFailure(e -> out.reset());
            return Future.<Void>succeededFuture();
        });
    }

    @Override
    public Future<Buffer> read(Stored file) {
        return get(file, 0, file.size(), HttpClientResponse::body);
    }

    /**
     * The bucket's answer with bytes {@code first..first+length-1} of {@code file}, handed to {@code use} as it
     * arrives: its body is read there, in the same turn of the event loop (a body read from a later callback, such
     * as one a caller off the event loop adds to a future already complete, finds the bytes gone).
     */
    private <T> Future<T> get(Stored file, long first, long length, Function<HttpClientResponse, Future<T>> use) {
        boolean whole = first == 0 && length == file.size();
        return bucketLater().compose(b -> {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(b.get(
                    b.key(file.name())).url()).setConnectTimeout(10_000).setIdleTimeout(60_000);
            if (!whole) {
                options.putHeader("Range", "bytes=" + first + "-" + (first + length - 1));
            }
            return http.request(options).compose(request -> request.send());
        }).compose(response -> {
            if (!answers(response, file, whole, length)) {
                response.request().reset();
                return Future.<T>failedFuture(new StoreUnavailable("file " + file.name()
                        + ": the bucket answered HTTP " + response.statusCode() + " for " + length + " bytes"));
            }
            return use.apply(response);
        }).recover(e -> Future.<T>failedFuture(e instanceof StoreUnavailable ? e
                : new StoreUnavailable("file " + file.name() + ": the bucket did not answer: " + e.getMessage())))
                .onFailure(e -> log.warn("{}", e.getMessage()));
    }

    /** Whether the bucket's answer is exactly the bytes asked of the file found (not a newer one of another size). */
    private static boolean answers(HttpClientResponse response, Stored file, boolean whole, long length) {
        String contentLength = response.getHeader("Content-Length");
        if (contentLength == null || !contentLength.equals(Long.toString(length))) {
            return false;
        }
        if (whole) {
            return response.statusCode() == 200;
        }
        String range = response.getHeader("Content-Range");
        return response.statusCode() == 206 && range != null && range.endsWith("/" + file.size());
    }

    @Override
    public int sweep() {
        Instant now = clock.instant();
        int deleted = DiskStore.deleteExpired(scratch, name -> name.startsWith(FileNames.PARTIAL),
                now.minus(retention));
        Bucket b = bucket();
        String folder = b.key("");
        int objects = 0;
        for (Bucket.Entry entry : b.list(folder)) {
            String name = entry.key().substring(folder.length());
            // Only the gateway's own names: anything else under the prefix is left alone.
            if ((FileNames.isServed(name) || FileNames.isKeyedName(name)) && expired(entry.storedAt(), now)) {
                b.delete(entry.key());
                objects++;
            }
        }
        if (objects > 0) {
            log.info("deleted {} mirrored file(s) older than {} h from the {}", objects, retention.toHours(),
                    config.describe());
        }
        return deleted + objects;
    }
}
