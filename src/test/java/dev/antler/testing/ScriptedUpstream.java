package dev.antler.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fake upstream on a real loopback socket that records every request and answers it with the next
 * scripted reply, else the default one. Subclasses speak one provider's wire format.
 *
 * @param <R> the reply type
 * @param <S> the subclass, returned by the fluent methods
 */
public abstract class ScriptedUpstream<R, S extends ScriptedUpstream<R, S>> implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(this::handle);
    private final ConcurrentLinkedQueue<R> script = new ConcurrentLinkedQueue<>();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final Supplier<R> defaultReply;
    private volatile R fallback;

    protected ScriptedUpstream(Supplier<R> defaultReply) {
        this.defaultReply = defaultReply;
        this.fallback = defaultReply.get();
    }

    /** Starts listening; called once by the subclass's factory. */
    protected final S listen() {
        try {
            server.listen().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake upstream did not start", e);
        }
        return self();
    }

    /** Answers {@code request} (its body already read into {@code received}) with {@code reply}. */
    protected abstract void answer(HttpServerRequest request, ReceivedRequest received, R reply);

    protected abstract S self();

    protected final Vertx vertx() {
        return vertx;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Answers the next requests with {@code replies}, in order. */
    @SafeVarargs
    public final S enqueue(R... replies) {
        script.addAll(List.of(replies));
        return self();
    }

    /** Answers every request not scripted by {@link #enqueue} with {@code reply}. */
    public final S always(R reply) {
        this.fallback = reply;
        return self();
    }

    /** Forgets recorded requests and scripted replies; the default reply is answered again. */
    public void reset() {
        script.clear();
        received.clear();
        fallback = defaultReply.get();
    }

    public List<ReceivedRequest> requests() {
        return List.copyOf(received);
    }

    /** The single request received; fails if there were none or several. */
    public ReceivedRequest onlyRequest() {
        List<ReceivedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("upstream requests: " + all.size() + " " + all + " (expected: exactly 1)");
        }
        return all.get(0);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            ReceivedRequest r = new ReceivedRequest(request.method().name(), request.path(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes(),
                    new CompletableFuture<>());
            received.add(r);
            R scripted = script.poll();
            answer(request, r, scripted != null ? scripted : fallback);
        });
    }
}
