import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where Antler's event loop spends its Java time, from the JFR recordings bench/run --profile takes of
 * Antler's runs at 64 connections and of its streams run (one file per scenario and round; the scenario is the file
 * name's second part). Per scenario it prints, over the event loop's execution samples:
 * <ul>
 *   <li>self time by library (Netty, Vert.x, the JDK, Jackson, SQLite, Antler) and by method: the frame on top of
 *       the stack;</li>
 *   <li>self time charged to the nearest Antler frame below it: which step of the relay the time belongs to,
 *       library time included (e.g. "UpstreamBodies.send" holds Vert.x's and Netty's work of writing the
 *       request upstream);</li>
 *   <li>the inclusive share of Antler's methods.</li>
 * </ul>
 * JFR samples Java code only: time in system calls (socket reads and writes, epoll) is not in these
 * samples; bench/run's thread table splits the event loop's CPU into user and system time for that.
 *
 * <pre>java bench/Profile.java OUT_FILE RECORDING...</pre>
 */
public final class Profile {

    private static final String[] LIBRARIES = {"dev.antler.", "io.netty.", "io.vertx.", "tools.jackson.",
            "org.sqlite.", "com.github.benmanes.", "org.jdbi.", "java.", "jdk.", "sun."};
    private static final int TOP = 25;

    public static void main(String[] args) throws IOException {
        Map<String, Samples> byScenario = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = Path.of(args[i]).getFileName().toString();
            String scenario = name.split("-")[1];
            Samples samples = byScenario.computeIfAbsent(scenario, s -> new Samples());
            for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[i]))) {
                if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    samples.add(event);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String scenario : List.of("chat", "sse", "embeddings", "streams")) {
            Samples s = byScenario.get(scenario);
            if (s != null) {
                s.print(scenario, out);
            }
        }
        System.out.print(out);
        java.nio.file.Files.writeString(Path.of(args[0]), out);
    }

    /** The execution samples of one scenario's event loop. */
    private static final class Samples {
        int count;
        final Map<String, Integer> selfByLibrary = new HashMap<>();
        final Map<String, Integer> selfByMethod = new HashMap<>();
        final Map<String, Integer> byNearestAntlerFrame = new HashMap<>();
        final Map<String, Integer> inclusive = new HashMap<>();

        void add(RecordedEvent event) {
            var thread = event.getThread("sampledThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith("vert.x-eventloop")
                    || event.getStackTrace() == null) {
                return;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                return;
            }
            count++;
            selfByLibrary.merge(library(name(frames.get(0))), 1, Integer::sum);
            selfByMethod.merge(name(frames.get(0)), 1, Integer::sum);
            String nearest = "(no Antler frame: the transport's own reads, writes and timers)";
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame);
                if (method.startsWith("dev.antler.") && !method.contains("$$Lambda")) {
                    if (nearest.startsWith("(")) {
                        nearest = method;
                    }
                    if (seen.add(method)) {
                        inclusive.merge(method, 1, Integer::sum);
                    }
                }
            }
            byNearestAntlerFrame.merge(nearest, 1, Integer::sum);
        }

        void print(String scenario, StringBuilder out) {
            out.append(String.format(Locale.ROOT, "%n== %s: %d event-loop samples%n", scenario, count));
            out.append("self time by library:").append(System.lineSeparator());
            top(selfByLibrary, out);
            out.append("self time by method:").append(System.lineSeparator());
            top(selfByMethod, out);
            out.append("self time charged to the nearest Antler frame below it:").append(System.lineSeparator());
            top(byNearestAntlerFrame, out);
            out.append("inclusive share of Antler methods:").append(System.lineSeparator());
            top(inclusive, out);
        }

        private void top(Map<String, Integer> counts, StringBuilder out) {
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            for (Map.Entry<String, Integer> e : sorted.subList(0, Math.min(TOP, sorted.size()))) {
                out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / count, e.getKey()));
            }
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String library(String method) {
        for (String prefix : LIBRARIES) {
            if (method.startsWith(prefix)) {
                return prefix.substring(0, prefix.length() - 1);
            }
        }
        return "other";
    }
}
