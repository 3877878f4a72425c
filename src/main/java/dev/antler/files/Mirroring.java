package dev.antler.files;

import static java.util.Objects.requireNonNull;

import dev.antler.config.MirrorConfig;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.http.Routes;
import dev.antler.security.BaseUrlGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets up result mirroring from its config: the store, the {@code /files/} route and the retention sweep. */
public final class Mirroring {

    private static final Logger log = LoggerFactory.getLogger(Mirroring.class);

    private Mirroring() {}

    /** The mirror to hand to the families that mirror results; null when mirroring is off. */
    public static FileMirror start(MirrorConfig config, Vertx vertx, HttpClient client, Routes routes, Clock clock,
                                   BaseUrlGuard guard) {
        requireNonNull(config, "config");
        if (!config.enabled()) {
            return null;
        }
        Duration retention = Duration.ofHours(config.retentionHours());
        // The bucket's classes (and the SDK's) are loaded only when one is configured.
        FileStore files = config.s3() == null ? new DiskStore(vertx, Path.of(config.directory()), retention, clock)
                : BucketStore.open(config.s3(), vertx, client, Path.of(config.directory()), retention, clock,
                        Math.max(config.downloadTimeoutMs(), config.videoTimeoutMs()));
        FileRoutes.register(routes, vertx, files, OpenAiErrorFormat.INSTANCE);
        vertx.executeBlocking(() -> sweep(files), false);
        long sweepMs = Math.min(retention.toMillis() / 4, Duration.ofHours(1).toMillis());
        vertx.setPeriodic(sweepMs, id -> vertx.executeBlocking(() -> sweep(files), false));
        log.info("result mirroring on: {} (files kept {} h)", files.describe(), config.retentionHours());
        return new FileMirror(vertx, client, files,
                new FileMirror.Limit(config.maxFileBytes(), config.downloadTimeoutMs()),
                new FileMirror.Limit(config.maxVideoBytes(), config.videoTimeoutMs()), config.publicBaseUrl(), guard);
    }

    private static int sweep(FileStore files) {
        try {
            return files.sweep();
        } catch (FileStore.StoreUnavailable e) {
            log.warn("mirrored files not swept: {}", e.getMessage());
            return 0;
        }
    }
}
