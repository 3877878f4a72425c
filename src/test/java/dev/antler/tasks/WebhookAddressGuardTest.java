package dev.antler.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.antler.routing.Channel;
import dev.antler.security.BaseUrlGuard;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client-chosen notifyHook must not reach the gateway's own network unless the operator allows it. */
class WebhookAddressGuardTest {

    private HttpServer hook;
    private final AtomicInteger posts = new AtomicInteger();
    private final List<String> settled = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHook() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
    }

    @AfterEach
    void stopHook() {
        hook.stop(0);
    }

    @Test
    void aHookOnALoopbackAddressIsNotCalledWhenPrivateAddressesAreRefused() throws Exception {
        WebhookSender sender = sender(false);
        sender.changed(task("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"));
        sender.changed(task("file:///etc/passwd"));

        awaitSettled(2);
        assertThat(posts.get()).isZero();
        assertThat(settled).containsExactly("t1", "t1");
    }

    @Test
    void theSameHookIsCalledWhenTheOperatorAllowsPrivateAddresses() throws Exception {
        WebhookSender sender = sender(true);
        sender.changed(task("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook"));

        awaitSettled(1);
        assertThat(posts.get()).isEqualTo(1);
    }

    private WebhookSender sender(boolean allowPrivate) {
        TaskFamily family = new TaskFamily() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Map<String, TaskUpdate> poll(Channel channel, List<Task> tasks) {
                return Map.of();
            }

            @Override
            public byte[] render(Task task) {
                return "{}".getBytes(StandardCharsets.UTF_8);
            }
        };
        return new WebhookSender(Map.of("test", family), task -> settled.add(task.publicId()), 1, 10,
                new BaseUrlGuard(allowPrivate));
    }

    private void awaitSettled(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (settled.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(settled).hasSizeGreaterThanOrEqualTo(count);
    }

    private static Task task(String notifyHook) {
        return new Task(1, "t1", "test", "imagine", null, 1, 1, 1, "u1", TaskStatus.SUCCESS, "100%", null,
                new Task.Charge(0, 0, 1, "charged", "none", "open"), notifyHook, "{}", null, 0, null, null, 0);
    }
}
