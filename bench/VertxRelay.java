import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * The floor under Antler for the benchmark (bench/run): a bare reverse proxy on the same Vert.x HTTP
 * server and client Antler uses, with nothing else — no authentication, routing, billing or usage
 * tap. What it costs per request is what the HTTP stack alone costs; Antler's figures above it are
 * its own work. Run with the JDK source launcher:
 *
 * <pre>java -cp 'target/lib/*' bench/VertxRelay.java PORT UPSTREAM_PORT</pre>
 *
 * Relays the method, path, Content-Type and body; answers with the upstream's status, Content-Type
 * and body, streamed as it arrives (SSE included).
 */
public final class VertxRelay {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setDisableTCCL(true)
                .setPreferNativeTransport(true)); // Antler's default transport
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true)
                .setDecompressionSupported(false), new PoolOptions().setHttp1MaxSize(512));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setReuseAddress(true)
                        .setCompressionSupported(false).setStrictThreadMode(true).setIdleTimeout(600))
                .requestHandler(request -> relay(client, upstreamPort, request))
                .listen(port, "127.0.0.1")
                .await(10, TimeUnit.SECONDS);
        System.out.println("bare Vert.x relay listening on 127.0.0.1:" + port
                + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)"));
    }

    private static void relay(HttpClient client, int upstreamPort, HttpServerRequest request) {
        HttpServerResponse response = request.response();
        request.body()
                .compose(body -> client.request(new RequestOptions().setMethod(request.method()).setHost("127.0.0.1")
                                .setPort(upstreamPort).setURI(request.uri()))
                        .compose(upstream -> {
                            String type = request.getHeader("Content-Type");
                            if (type != null) {
                                upstream.putHeader("Content-Type", type);
                            }
                            return upstream.send(body);
                        }))
                .onSuccess(upstream -> {
                    response.setStatusCode(upstream.statusCode());
                    String type = upstream.getHeader("Content-Type");
                    if (type != null) {
                        response.putHeader("Content-Type", type);
                    }
                    String length = upstream.getHeader("Content-Length");
                    if (length != null) {
                        response.putHeader("Content-Length", length);
                    } else {
                        response.setChunked(true);
                    }
                    upstream.handler(response::write);
                    upstream.endHandler(v -> response.end());
                })
                .onFailure(failure -> {
                    if (!response.headWritten()) {
                        response.setStatusCode(502).end();
                    } else {
                        response.reset();
                    }
                });
    }
}
