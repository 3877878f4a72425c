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
        FileStore files = new FileStore(Path.of(config.directory()), retention, clock);
        FileRoutes.register(routes, vertx, files, OpenAiErrorFormat.INSTANCE);
        vertx.executeBlocking(files::sweep);
        long sweepMs = Math.min(retention.toMillis() / 4, Duration.ofHours(1).toMillis());
        vertx.setPeriodic(sweepMs, id -> vertx.executeBlocking(files::sweep));
        log.info("result mirroring on: {} (files kept {} h)", files.directory(), config.retentionHours());
        return new FileMirror(vertx, client, files,
                new FileMirror.Limit(config.maxFileBytes(), config.downloadTimeoutMs()),
                new FileMirror.Limit(config.maxVideoBytes(), config.videoTimeoutMs()), config.publicBaseUrl(), guard);
    }
}
