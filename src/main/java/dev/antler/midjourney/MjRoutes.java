package dev.antler.midjourney;

import dev.antler.accounts.Principal;
import dev.antler.core.GatewayException;
import dev.antler.family.FamilyContext;
import dev.antler.http.ClientKey;
import dev.antler.http.Exchange;
import dev.antler.http.Routes;
import dev.antler.relay.BodyReader;
import dev.antler.relay.Operation;
import dev.antler.relay.Relay;
import dev.antler.relay.RelayServices;
import dev.antler.tasks.TaskReads;
import dev.antler.tasks.Tasks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Midjourney routes: the submits, the task queries and the image proxy, mounted without a prefix and
 * under each speed prefix ({@code /mj-fast}, ...). Submits are refused before their body is read when the
 * key or balance cannot pay; queries need no balance.
 */
final class MjRoutes {

    private static final List<String> SUBMITS = List.of("submit/imagine", "submit/action", "submit/blend",
            "submit/describe", "submit/modal", "submit/change", "submit/simple-change", "submit/shorten",
            "submit/edits", "submit/video", "submit/upload-discord-images", "insight-face/swap");

    private final Relay relay;
    private final RelayServices services;
    private final ExecutorService blocking;
    private final MjQueries queries;
    private final MjImageRoute images;
    private final String publicBaseUrl;

    MjRoutes(FamilyContext context, MjUpstream upstream, MjTasks family) {
        this.relay = context.relay();
        this.services = relay.services();
        this.blocking = context.blocking();
        this.publicBaseUrl = context.publicBaseUrl();
        Tasks tasks = context.tasks();
        TaskReads log = tasks.reads();
        this.queries = new MjQueries(tasks.engine(), family, upstream, services.channels(), tasks.refresh(), log);
        MjImageProxy proxy = new MjImageProxy(services.vertx(), services.upstream(), tasks.config().imageMaxBytes(),
                tasks.config().imageTimeoutMs());
        this.images = new MjImageRoute(services.vertx(), tasks.store(), context.guard(), proxy, log, blocking);
    }

    /** Registers the routes under {@code prefix} ({@code ""} or {@code /mj-<mode>}); {@code mode} null: none. */
    void mount(Routes routes, String prefix, String mode) {
        MjErrorFormat errors = MjErrorFormat.INSTANCE;
        for (String kind : SUBMITS) {
            MjSubmitOperation submit = new MjSubmitOperation(kind, mode, publicBaseUrl);
            routes.add(HttpMethod.POST, prefix + "/mj/" + kind, errors,
                    ex -> relay.handle(ex, submit, clientKey(ex)));
        }
        routes.add(HttpMethod.POST, prefix + "/mj/task/list-by-condition", errors,
                ex -> authed(ex, QUERY, (principal, body) -> queries.list(principal, body, ex)));
        routes.prefix(prefix + "/mj/task/", errors, ex -> taskPath(ex, prefix + "/mj/task/"));
        routes.prefix(prefix + "/mj/image/", errors, ex -> image(ex, prefix + "/mj/image/"));
    }

    private void taskPath(Exchange ex, String base) {
        String[] rest = ex.request().path().substring(base.length()).split("/");
        if (ex.request().method() != HttpMethod.GET || rest.length != 2
                || !(rest[1].equals("fetch") || rest[1].equals("image-seed"))) {
            ex.fail(GatewayException.notFound("not_found", ex.request().method() + " " + ex.request().path()
                    + " (expected: GET " + base + "{id}/fetch or " + base + "{id}/image-seed)"));
            return;
        }
        authed(ex, NO_BODY, (principal, body) -> rest[1].equals("fetch") ? queries.fetch(principal, rest[0], ex)
                : queries.imageSeed(principal, rest[0], ex));
    }

    private void image(Exchange ex, String base) {
        if (ex.request().method() != HttpMethod.GET) {
            ex.fail(GatewayException.notFound("not_found", ex.request().method() + " " + ex.request().path()
                    + " (expected: GET " + base + "{id})"));
            return;
        }
        images.handle(ex, ex.request().path().substring(base.length()));
    }

    /** What a free query reads: a JSON body, or none. */
    private record Call(boolean json) {}

    private static final Call QUERY = new Call(true);
    private static final Call NO_BODY = new Call(false);

    /** Authenticates, reads the JSON body (if any), then runs {@code work} on a blocking thread. */
    private void authed(Exchange ex, Call call, BiFunction<Principal, ObjectNode, Buffer> work) {
        ex.request().pause();
        Context context = services.vertx().getOrCreateContext();
        boolean json = call.json();
        Operation.BodyKind kind = json ? Operation.BodyKind.JSON : Operation.BodyKind.NONE;
        relay.authenticate(clientKey(ex))
                .compose(principal -> {
                    return BodyReader.read(services.vertx(), ex.request(), kind, services.limits().body(),
                                    services.spoolDirectory())
                            .compose(body -> Future.<Buffer>fromCompletionStage(CompletableFuture.supplyAsync(
                                    () -> work.apply(principal, json ? MjInput.object(body) : null), blocking), context)
                                    .onComplete(done -> body.discard()));
                })
                .onSuccess(answer -> ex.json(200, answer))
                .onFailure(ex::fail);
    }

    /** {@code Authorization: Bearer} (or {@code x-api-key}), else midjourney-proxy's own {@code mj-api-secret}. */
    private static String clientKey(Exchange ex) {
        String key = ClientKey.of(ex.request());
        return key != null ? key : ex.request().getHeader("mj-api-secret");
    }

}
