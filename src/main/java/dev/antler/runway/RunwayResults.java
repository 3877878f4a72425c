package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import dev.antler.json.Json;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.Task;
import dev.antler.tasks.TaskUpstream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A finished Runway task's result files, as its links number them: its videos ({@code output}, or the reverse
 * format's {@code video_url}), then the reverse format's poster and last frame when given. Runway's output URLs
 * expire within 24 to 48 hours and Runway hands out fresh ones when the task is fetched again: for a task that
 * finished more than {@link #FRESH_FOR_MS} ago on a {@code runway} channel, the task is fetched again (blocking) and
 * its fresh URLs are served, so a link keeps working while Runway keeps the task (and, mirroring on, the gateway's
 * copy serves it after). Public URLs: fetched without the channel's key.
 */
final class RunwayResults implements ResultFiles {

    static final long FRESH_FOR_MS = 12 * 3600_000L;

    private final TaskUpstream upstream;
    private final Clock clock;

    RunwayResults(TaskUpstream upstream, Clock clock) {
        this.upstream = requireNonNull(upstream, "upstream");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public List<ResultFile> files(Task task, Channel channel) {
        RunwayReport report = fresh(task, channel);
        List<ResultFile> files = new ArrayList<>();
        report.videos().forEach(url -> files.add(ResultFile.video(url)));
        report.images().forEach(url -> files.add(ResultFile.image(url)));
        return files;
    }

    /** The last report, or Runway's task fetched again when its URLs may have expired. */
    private RunwayReport fresh(Task task, Channel channel) {
        RunwayReport kept = RunwayReport.of(task);
        boolean old = task.finishedAt() != null && clock.millis() - task.finishedAt() > FRESH_FOR_MS;
        if (!old || channel == null || !RunwayFamily.OFFICIAL.name().equals(channel.type())
                || !Json.MAPPER.readTree(task.payload() == null ? "{}" : task.payload()).has("output")) {
            return kept;
        }
        try {
            TaskUpstream.Reply reply = upstream.call(channel, "GET", channel.url("/v1/tasks/" + task.upstreamId()),
                    Map.of(RunwayFamily.OFFICIAL.auth().name(), RunwayFamily.OFFICIAL.auth().value(channel),
                            RunwayInput.VERSION_HEADER, RunwayTasks.version(task)), null);
            JsonNode root = reply.status() == 200 ? Json.objectOrNull(reply.body()) : null;
            RunwayReport now = root == null ? null : RunwayReport.official(root);
            return now != null && now.videos().size() == kept.videos().size() ? now : kept;
        } catch (RuntimeException e) {
            return kept; // the kept URLs may still work; the route answers what the upstream says
        }
    }
}
