package dev.antler.health;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.Status;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tests channels with a minimal real request ({@link ChannelProbes}). A channel that passes has its
 * breaker reset and, if the gateway disabled it itself, is enabled again; a channel whose upstream
 * refuses its key or billing is disabled with the reason. Channels an operator disabled stay disabled.
 */
public final class ChannelTester {

    private static final long TIMEOUT_MS = 30_000;
    private static final int MAX_MESSAGE = 300;
    private static final List<String> DISABLING = List.of("insufficient_quota", "invalid_api_key",
            "account_deactivated", "billing_not_active", "credit balance is too low");

    /** The outcome of one test; {@code status} 0 when no HTTP answer came. */
    public record Result(long channelId, boolean testable, boolean passed, int status, long latencyMs, String message,
                         boolean reEnabled, boolean disabled) {}

    private final HttpClient client;
    private final ChannelRegistry registry;
    private final ChannelSwitch channelSwitch;
    private final ChannelProbes probes;

    public ChannelTester(HttpClient client, ChannelRegistry registry, ChannelSwitch channelSwitch,
                         ChannelProbes probes) {
        this.client = requireNonNull(client, "client");
        this.registry = requireNonNull(registry, "registry");
        this.channelSwitch = requireNonNull(channelSwitch, "channelSwitch");
        this.probes = requireNonNull(probes, "probes");
    }

    /** Tests every channel the gateway disabled itself; those that pass are enabled again. */
    public Future<List<Result>> testAutoDisabled() {
        List<Future<Result>> tests = registry.all().stream().filter(ChannelHealth::isAutoDisabled).map(this::test)
                .toList();
        return Future.all(tests).map(all -> tests.stream().map(Future::result).toList());
    }

    /** Tests {@code channel} as routing sees it (with its type's default base URL if it sets none). */
    public Future<Result> test(Channel stored) {
        Channel channel = registry.withDefaults(requireNonNull(stored, "stored"));
        Optional<ProbeRequest> probe = probes.probe(channel);
        if (probe.isEmpty()) {
            return Future.succeededFuture(new Result(channel.id(), false, false, 0, 0,
                    "type: " + channel.type() + " (expected: a channel type with a test request: "
                            + String.join(", ", probes.types()) + ")", false,
                    false));
        }
        ProbeRequest p = probe.get();
        long start = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(p.method()))
                .setAbsoluteURI(p.url()).setHeaders(p.headers())
                .setConnectTimeout(channel.timeouts().connect()).setIdleTimeout(TIMEOUT_MS);
        return client.request(options)
                .compose(request -> p.body() == null ? request.send() : request.send(Buffer.buffer(p.body())))
                .compose(response -> response.body().map(body -> answered(channel, p, response.statusCode(), body,
                        (System.nanoTime() - start) / 1_000_000)))
                .recover(failure -> Future.succeededFuture(new Result(channel.id(), true, false, 0,
                        (System.nanoTime() - start) / 1_000_000, "no answer: " + failure.getClass().getSimpleName(),
                        false, false)))
                .compose(this::apply);
    }

    private Result answered(Channel channel, ProbeRequest probe, int status, Buffer body, long latencyMs) {
        String text = body.getString(0, Math.min(body.length(), 4096), StandardCharsets.UTF_8.name());
        boolean passed = status >= 200 && status < 300;
        boolean reEnable = passed && ChannelHealth.isAutoDisabled(channel);
        boolean disable = !passed && channel.status() == Status.ACTIVE && !probe.auxiliary()
                && refusesKeyOrBilling(status, text);
        String message = passed ? "ok" : "upstream HTTP " + status + " on " + probe.route() + ": " + abbreviate(text);
        return new Result(channel.id(), true, passed, status, latencyMs, message, reEnable, disable);
    }

    private Future<Result> apply(Result result) {
        Channel channel = registry.find(result.channelId()).orElse(null);
        if (channel == null) {
            return Future.succeededFuture(result);
        }
        if (result.passed()) {
            registry.health().reset(channel.id());
        }
        if (result.reEnabled()) {
            return channelSwitch.enable(channel).map(result);
        }
        if (result.disabled()) {
            return channelSwitch.disable(channel, ChannelHealth.AUTO_DISABLED + "channel test: " + result.message())
                    .map(result);
        }
        return Future.succeededFuture(result);
    }

    private static boolean refusesKeyOrBilling(int status, String body) {
        String text = body.toLowerCase(Locale.ROOT);
        return status == 401 || DISABLING.stream().anyMatch(text::contains);
    }

    private static String abbreviate(String text) {
        String masked = dev.antler.relay.KeyMasker.mask(text);
        return masked.length() <= MAX_MESSAGE ? masked : masked.substring(0, MAX_MESSAGE) + "…";
    }
}
