package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import dev.antler.routing.Channel;
import java.util.List;
import java.util.Map;

/**
 * Where a family's completed task has its result files at the upstream: what the gateway copies (mirroring on)
 * and serves under its own links ({@link TaskResults}). A family registers one from its {@code mount}.
 */
public interface ResultFiles {

    /**
     * The result files of {@code task} (completed), in the order its links number them, from what the upstream
     * last reported ({@link Task#payload()}); empty when there are none. {@code channel} is the task's channel,
     * or null when it is gone (a file that needs its key is then left out).
     */
    List<ResultFile> files(Task task, Channel channel);

    /**
     * One result file: its upstream URL, the headers to fetch it with (a channel key where the upstream's content
     * route needs one; public CDN links need none), whether it is a video (the video size and time limits apply to
     * its copy) and whether the gateway keeps a copy of it (mirroring on) or only streams it.
     */
    record ResultFile(String url, Map<String, String> headers, boolean video, boolean copied) {

        public ResultFile {
            requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }

        public static ResultFile video(String url) {
            return new ResultFile(url, Map.of(), true, true);
        }

        public static ResultFile image(String url) {
            return new ResultFile(url, Map.of(), false, true);
        }

        public ResultFile withHeaders(Map<String, String> headers) {
            return new ResultFile(url, headers, video, copied);
        }

        /** This file streamed from the upstream on each read, never copied (an asset few clients ask for). */
        public ResultFile streamedOnly() {
            return new ResultFile(url, headers, video, false);
        }
    }
}
