package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.ScriptedUpstream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Udio upstream on a real socket, in the relay protocol ({@code Authorization: Bearer} {@value #KEY}):
 * {@code POST /udio/submit/music {"gen_params":{...}}} answers {@code {"code":"success","message":"","data":
 * "<task id>"}}; {@code GET /udio/fetch/{id}} answers the task with {@code action:"udio-generate"} and its
 * {@code songs} (or, with {@link #nestSongs}, {@code data.songs} as some relays do). Each fetch moves the task on:
 * SUBMITTED (no songs) → IN_PROGRESS (two songs, not finished) → SUCCESS (finished, with {@code song_path}), or
 * FAILURE (songs with {@code error_type}) after {@link #failNext}. Songs carry the account's {@code user_id},
 * {@code artist}, ... and {@code generation_id} (the upstream's task id), as Udio's do. Scripted
 * {@link FakeSuno.Reply}s work as for {@link FakeSuno}.
 */
final class FakeUdio extends ScriptedUpstream<FakeSuno.Reply, FakeUdio> {

    static final String KEY = "sk-udio-upstream-1";
    static final String ARTIST = "DivingWaterphone0337";

    private static final String[] SCHEDULE = {"SUBMITTED", "IN_PROGRESS", "SUCCESS"};
    private static final String[] FAILING = {"SUBMITTED", "IN_PROGRESS", "FAILURE"};

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicReference<String> failNext = new AtomicReference<>();
    volatile boolean nestSongs;

    private static final class Job {
        final String id = UUID.randomUUID().toString();
        final JsonNode params;
        final String failReason;
        final String[] songIds = {UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        final long submitTime = System.currentTimeMillis() / 1000;
        int step;
        long startTime;
        long finishTime;

        Job(JsonNode params, String failReason) {
            this.params = params;
            this.failReason = failReason;
        }
    }

    private FakeUdio() {
        super(FakeSuno.Reply::normal);
    }

    static FakeUdio start() {
        return new FakeUdio().listen();
    }

    @Override
    protected FakeUdio self() {
        return this;
    }

    FakeUdio failNext(String reason) {
        failNext.set(reason);
        return this;
    }

    FakeUdio busy(int n) {
        for (int i = 0; i < n; i++) {
            enqueue(FakeSuno.Reply.busy());
        }
        return this;
    }

    long count(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    Set<String> upstreamIds() {
        return Set.copyOf(jobs.keySet());
    }

    @Override
    protected void answer(HttpServerRequest request, ReceivedRequest r, FakeSuno.Reply reply) {
        if (reply.delayMs() > 0) {
            vertx().setTimer(reply.delayMs(), t -> respond(request.response(), r, reply));
        } else {
            respond(request.response(), r, reply);
        }
    }

    private synchronized void respond(HttpServerResponse response, ReceivedRequest r, FakeSuno.Reply reply) {
        if (response.closed()) {
            return;
        }
        if (reply.status() != 0) {
            FakeSuno.send(response, reply.status(), reply.status() == 429 ? FakeSuno.openAiError("当前分组上游负载已饱和，请稍后再试")
                    : FakeSuno.taskError("upstream_error", "scripted HTTP " + reply.status()));
            return;
        }
        if (!("Bearer " + KEY).equals(r.header("Authorization"))) {
            FakeSuno.send(response, 401, FakeSuno.openAiError("无效的令牌"));
            return;
        }
        if (r.method().equals("POST") && r.path().equals("/udio/submit/music")) {
            JsonNode body = FakeSuno.parse(r.body());
            JsonNode params = body == null ? null : body.get("gen_params");
            if (params == null || params.path("prompt").asString("").isBlank()) {
                FakeSuno.send(response, 400, FakeSuno.taskError("prompt_empty", "prompt_empty"));
                return;
            }
            Job job = new Job(params, failNext.getAndSet(null));
            jobs.put(job.id, job);
            FakeSuno.send(response, 200, FakeSuno.success(Json.MAPPER.getNodeFactory().stringNode(job.id)));
        } else if (r.method().equals("GET") && r.path().startsWith("/udio/fetch/")) {
            Job job = jobs.get(r.path().substring("/udio/fetch/".length()));
            FakeSuno.send(response, job == null ? 400 : 200, job == null
                    ? FakeSuno.taskError("task_not_exist", "task_not_exist") : FakeSuno.success(observe(job)));
        } else {
            response.setStatusCode(404).putHeader("Content-Type", "text/plain").end("404 page not found");
        }
    }

    private ObjectNode observe(Job job) {
        String[] schedule = job.failReason == null ? SCHEDULE : FAILING;
        String status = schedule[Math.min(job.step, schedule.length - 1)];
        job.step++;
        long now = System.currentTimeMillis() / 1000;
        boolean terminal = !status.equals("SUBMITTED") && !status.equals("IN_PROGRESS");
        job.startTime = job.startTime == 0 && !status.equals("SUBMITTED") ? now : job.startTime;
        job.finishTime = job.finishTime == 0 && terminal ? now : job.finishTime;
        ObjectNode t = Json.object();
        t.put("task_id", job.id);
        t.put("notify_hook", "");
        t.put("action", "udio-generate");
        t.put("status", status);
        t.put("fail_reason", status.equals("FAILURE") ? job.failReason : "");
        t.put("submit_time", job.submitTime);
        t.put("start_time", job.startTime);
        t.put("finish_time", job.finishTime);
        t.put("progress", terminal ? "100%" : status.equals("IN_PROGRESS") ? "50%" : "0%");
        ArrayNode songs = nestSongs ? t.putObject("data").putArray("songs") : t.putArray("songs");
        if (!status.equals("SUBMITTED")) {
            for (String songId : job.songIds) {
                songs.add(song(job, songId, status));
            }
        }
        return t;
    }

    private static ObjectNode song(Job job, String id, String status) {
        ObjectNode s = Json.object();
        s.put("id", id);
        s.put("title", "The Untitled");
        s.put("prompt", job.params.path("prompt").asString(""));
        s.put("lyrics", job.params.path("lyrics").asString(""));
        s.putArray("tags").add("jazz").add("instrumental");
        boolean finished = status.equals("SUCCESS");
        s.put("finished", finished);
        s.put("song_path", finished ? "https://storage.googleapis.com/udio-artifacts/" + id + ".mp3" : "");
        s.put("image_path", "https://imagedelivery.net/" + id + "/public");
        s.putNull("video_path");
        s.put("duration", 32.81);
        s.put("created_at", "2026-03-01T10:00:00.000000+00:00");
        if (status.equals("FAILURE")) {
            s.put("error_type", "moderation");
            s.put("error_detail", job.failReason);
        } else {
            s.putNull("error_type");
            s.putNull("error_detail");
        }
        s.putNull("error_code");
        s.putNull("error_id");
        s.put("generation_id", job.id);
        s.put("user_id", "649ae9a6-acct");
        s.put("artist", ARTIST);
        s.put("artist_image", "https://lh3.googleusercontent.com/a/acct");
        s.put("liked", false);
        s.put("disliked", false);
        s.put("likes", 0);
        s.put("plays", 0);
        s.put("publishable", true);
        s.putNull("published_at");
        return s;
    }
}
