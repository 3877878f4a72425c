import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds many idle realtime sessions open through a running gateway and reports the gateway's RSS, live heap and
 * CPU time before, with them open, and over an idle hold. It is both ends: a realtime upstream that answers each
 * upgrade with {@code session.created} and then stays quiet, and the clients, which open their sessions
 * (at most 50 upgrades in flight), read {@code session.created} and send nothing more. Run by bench/realtime-idle
 * with the gateway's pid; prints one line per figure and a JSON summary.
 *
 *   java -cp <vertx, netty> bench/RealtimeIdle.java PID GATEWAY_PORT UPSTREAM_PORT KEY SESSIONS HOLD_SECONDS
 */
public class RealtimeIdle {

    private static final String SESSION_CREATED = "{\"type\":\"session.created\",\"event_id\":\"event_bench\","
            + "\"session\":{\"object\":\"realtime.session\",\"id\":\"sess_bench\",\"type\":\"realtime\","
            + "\"model\":\"gpt-realtime\"}}";
    private static final int IN_FLIGHT = 50;
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    public static void main(String[] args) throws Exception {
        long pid = Long.parseLong(args[0]);
        int gatewayPort = Integer.parseInt(args[1]);
        int upstreamPort = Integer.parseInt(args[2]);
        String key = args[3];
        int sessions = Integer.parseInt(args[4]);
        int holdSeconds = Integer.parseInt(args[5]);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        AtomicInteger upstreamOpen = new AtomicInteger();
        HttpServer upstream = vertx.createHttpServer().requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
            upstreamOpen.incrementAndGet();
            ws.closeHandler(v -> upstreamOpen.decrementAndGet());
            ws.writeTextMessage(SESSION_CREATED);
        }));
        upstream.listen(upstreamPort, "127.0.0.1").await();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(sessions * 2 + 100));
        WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gatewayPort)
                .setURI("/v1/realtime?model=gpt-realtime").putHeader("Authorization", "Bearer " + key)
                .setTimeout(30_000);

        // Warm-up: the gateway's first sessions load and compile its realtime code.
        for (int round = 0; round < 4; round++) {
            closeAll(openAll(vertx, client, connect, 50));
        }
        Thread.sleep(3_000);
        Sample before = Sample.of(pid);
        long openStarted = System.nanoTime();
        List<WebSocket> open = openAll(vertx, client, connect, sessions);
        long openMs = (System.nanoTime() - openStarted) / 1_000_000;
        Sample opened = Sample.of(pid);
        Thread.sleep(holdSeconds * 1000L);
        Sample held = Sample.of(pid);
        long stillOpen = open.stream().filter(ws -> !ws.isClosed()).count();
        int upstreamStillOpen = upstreamOpen.get();
        closeAll(open);
        Thread.sleep(12_000); // past Vert.x's 10 s closing timeout of a socket whose close is not answered
        Sample after = Sample.of(pid);

        System.out.printf("sessions opened: %d in %d ms; still open after %d s idle: %d (upstream side: %d)%n",
                open.size(), openMs, holdSeconds, stillOpen, upstreamStillOpen);
        System.out.printf("RSS: %d MiB before, %d MiB with %d sessions open (+%d KiB a session), %d MiB after %d s"
                        + " idle, %d MiB after they closed%n", before.rssKb / 1024, opened.rssKb / 1024, sessions,
                (opened.rssKb - before.rssKb) / sessions, held.rssKb / 1024, holdSeconds, after.rssKb / 1024);
        System.out.printf("live heap (after a full GC): %d MiB before, %d MiB with the sessions open (+%d KiB a"
                        + " session), %d MiB after they closed%n", before.liveHeapKb / 1024, held.liveHeapKb / 1024,
                (held.liveHeapKb - before.liveHeapKb) / sessions, after.liveHeapKb / 1024);
        double holdCpuPercent = 100.0 * (held.cpuMs - opened.cpuMs - opened.gcCpuMs) / (holdSeconds * 1000.0);
        System.out.printf("CPU: %d ms to open the %d sessions; %.2f %% of one core over the %d s idle hold"
                        + " (%d ms, pings every 30 s included)%n", opened.cpuMs - before.cpuMs - before.gcCpuMs,
                sessions, holdCpuPercent, holdSeconds, held.cpuMs - opened.cpuMs - opened.gcCpuMs);
        System.out.printf("{\"sessions\":%d,\"open_ms\":%d,\"still_open\":%d,\"rss_before_kb\":%d,\"rss_open_kb\":%d,"
                        + "\"rss_held_kb\":%d,\"rss_after_kb\":%d,\"live_heap_before_kb\":%d,\"live_heap_held_kb\":%d,"
                        + "\"open_cpu_ms\":%d,\"hold_cpu_ms\":%d,\"hold_seconds\":%d}%n", sessions, openMs, stillOpen,
                before.rssKb, opened.rssKb, held.rssKb, after.rssKb, before.liveHeapKb, held.liveHeapKb,
                opened.cpuMs - before.cpuMs - before.gcCpuMs, held.cpuMs - opened.cpuMs - opened.gcCpuMs, holdSeconds);
        vertx.close().await();
        System.exit(stillOpen == sessions ? 0 : 1);
    }

    /** Opens {@code count} sessions, at most {@link #IN_FLIGHT} upgrades at a time, each read to session.created. */
    private static List<WebSocket> openAll(Vertx vertx, WebSocketClient client, WebSocketConnectOptions connect,
                                           int count) {
        List<WebSocket> open = new ArrayList<>();
        for (int from = 0; from < count; from += IN_FLIGHT) {
            List<Future<WebSocket>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + IN_FLIGHT); i++) {
                batch.add(client.connect(connect).compose(ws -> {
                    Promise<WebSocket> created = Promise.promise();
                    ws.textMessageHandler(text -> created.tryComplete(ws));
                    ws.closeHandler(v -> created.tryFail("closed before session.created"));
                    return created.future();
                }));
            }
            for (Future<WebSocket> session : batch) {
                open.add(session.await());
            }
        }
        return open;
    }

    private static void closeAll(List<WebSocket> sockets) {
        for (WebSocket ws : sockets) {
            ws.close().await();
        }
    }

    /** The gateway's RSS, its live heap after a full GC (jcmd) and its CPU time, the GC's own CPU apart. */
    private record Sample(long rssKb, long liveHeapKb, long cpuMs, long gcCpuMs) {

        static Sample of(long pid) throws Exception {
            long cpuBefore = cpuMs(pid);
            long live = liveHeapKb(pid); // a full GC: its CPU is not the sessions'
            long cpuAfter = cpuMs(pid);
            return new Sample(rssKb(pid), live, cpuBefore, cpuAfter - cpuBefore);
        }

        private static long rssKb(long pid) throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new IllegalStateException("no VmRSS for " + pid);
        }

        private static long cpuMs(long pid) throws Exception {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / TICKS_PER_SECOND;
        }

        private static long liveHeapKb(long pid) throws Exception {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            for (String line : output.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 3 && parts[0].equals("Total")) {
                    return Long.parseLong(parts[2]) / 1024;
                }
            }
            return -1;
        }
    }
}
