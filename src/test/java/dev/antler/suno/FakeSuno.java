package dev.antler.suno;

import dev.antler.json.Json;
import dev.antler.testing.ReceivedRequest;
import dev.antler.testing.ScriptedUpstream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Suno upstream on a real socket, speaking the relay protocol the upstream of a new-api {@code suno} channel
 * speaks (another new-api relay, or the Suno-API project): {@code Authorization: Bearer} {@value #KEY}, else 401
 * in new-api's OpenAI-style envelope; {@code POST /suno/submit/{music|lyrics|concat}} and
 * {@code POST /suno/uploads/audio-url} answer {@code {"code":"success","message":"","data":"<task id>"}};
 * {@code POST /suno/fetch {"ids":[...]}} answers the known ones as TaskDtos, {@code GET /suno/fetch/{id}} one
 * (an unknown id is new-api's 400 {@code task_not_exist}); DeerAPI's extras answer at once.
 *
 * <p>Each task moves one step each time it is fetched (single or batch): SUBMITTED (clips {@code submitted},
 * 0%) → QUEUED ({@code queued}, 10%) → IN_PROGRESS ({@code streaming}, 60%) → SUCCESS ({@code complete},
 * 100%), or after QUEUED to FAILURE (clips {@code error}, with a {@code fail_reason}) when {@link #failNext}
 * was set. A music task has two clips, every other task one; lyrics report {@code {id, text, title, status}}.
 * Clips carry the upstream account's fields ({@code user_id}, {@code handle}, {@code display_name}, ...) as
 * Suno's do. Scripted {@link Reply}s answer a status of their own (e.g. the next N requests 429) or late.
 */
final class FakeSuno extends ScriptedUpstream<FakeSuno.Reply, FakeSuno> {

    static final String KEY = "sk-suno-upstream-1";
    /** The account every clip names, so tests can check it never reaches a client. */
    static final String ACCOUNT_HANDLE = "upstream_account_7";
    static final String ACCOUNT_USER_ID = "5b0c7a4e-acct-user";

    /** How to answer one request: as the protocol does ({@code status} 0), or with that status; after a delay. */
    record Reply(int status, long delayMs) {
        static Reply normal() {
            return new Reply(0, 0);
        }

        static Reply busy() {
            return new Reply(429, 0);
        }

        static Reply status(int status) {
            return new Reply(status, 0);
        }

        static Reply delayed(long delayMs) {
            return new Reply(0, delayMs);
        }
    }

    private record Refusal(int status, String code, String message) {}

    private static final String[] SCHEDULE = {"SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS"};
    private static final String[] FAILING = {"SUBMITTED", "QUEUED", "FAILURE"};

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicReference<String> failNext = new AtomicReference<>();
    private final AtomicReference<Refusal> refuseNext = new AtomicReference<>();

    private static final class Job {
        final String id;
        final String action;
        final JsonNode body;
        final String failReason;
        final long submitTime = System.currentTimeMillis() / 1000;
        final List<String> clipIds = new ArrayList<>();
        int step;
        long startTime;
        long finishTime;

        Job(String action, JsonNode body, String failReason) {
            this.id = UUID.randomUUID().toString();
            this.action = action;
            this.body = body;
            this.failReason = failReason;
            for (int i = action.equals("MUSIC") ? 2 : 1; i > 0; i--) {
                clipIds.add(UUID.randomUUID().toString());
            }
        }
    }

    private FakeSuno() {
        super(Reply::normal);
    }

    static FakeSuno start() {
        return new FakeSuno().listen();
    }

    @Override
    protected FakeSuno self() {
        return this;
    }

    /** The next task made fails with {@code reason} (its clips end in {@code error}). */
    FakeSuno failNext(String reason) {
        failNext.set(reason);
        return this;
    }

    /** The next submit is refused: HTTP {@code status} with {@code {"code","message","data":null}}. */
    FakeSuno refuseNext(int status, String code, String message) {
        refuseNext.set(new Refusal(status, code, message));
        return this;
    }

    /** The next {@code n} requests are answered 429. */
    FakeSuno busy(int n) {
        for (int i = 0; i < n; i++) {
            enqueue(Reply.busy());
        }
        return this;
    }

    /** Requests received as {@code method path}, e.g. {@code count("POST", "/suno/fetch")}. */
    long count(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    /** Upstream task ids handed out so far. */
    Set<String> upstreamIds() {
        return Set.copyOf(jobs.keySet());
    }

    /** The clip ids of an upstream task. */
    List<String> clipIds(String upstreamId) {
        return List.copyOf(jobs.get(upstreamId).clipIds);
    }

    @Override
    protected void answer(HttpServerRequest request, ReceivedRequest r, Reply reply) {
        if (reply.delayMs() > 0) {
            vertx().setTimer(reply.delayMs(), t -> respond(request, r, reply));
        } else {
            respond(request, r, reply);
        }
    }

    private void respond(HttpServerRequest request, ReceivedRequest r, Reply reply) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        if (reply.status() == 429) {
            send(response, 429, openAiError("当前分组上游负载已饱和，请稍后再试"));
            return;
        }
        if (reply.status() != 0) {
            send(response, reply.status(), taskError("upstream_error", "scripted HTTP " + reply.status()));
            return;
        }
        if (!("Bearer " + KEY).equals(r.header("Authorization"))) {
            send(response, 401, openAiError("无效的令牌"));
            return;
        }
        String path = r.path();
        JsonNode body = r.body().length == 0 ? Json.object() : parse(r.body());
        if (body == null) {
            send(response, 400, taskError("invalid_request", "invalid character in request body"));
            return;
        }
        synchronized (this) {
            if (r.method().equals("POST") && path.startsWith("/suno/submit/")) {
                submit(response, path.substring("/suno/submit/".length()).toUpperCase(), body);
            } else if (r.method().equals("POST") && path.equals("/suno/uploads/audio-url")) {
                submit(response, "UPLOAD", body);
            } else if (r.method().equals("POST") && path.equals("/suno/fetch")) {
                ArrayNode data = Json.MAPPER.createArrayNode();
                for (JsonNode id : body.path("ids")) {
                    Job job = jobs.get(id.asString(""));
                    if (job != null) {
                        data.add(observe(job));
                    }
                }
                send(response, 200, success(data));
            } else if (r.method().equals("GET") && path.startsWith("/suno/fetch/")) {
                Job job = jobs.get(path.substring("/suno/fetch/".length()));
                send(response, job == null ? 400 : 200,
                        job == null ? taskError("task_not_exist", "task_not_exist") : success(observe(job)));
            } else {
                JsonNode extra = FakeSunoExtras.answer(r.method(), path, body);
                if (extra == null) {
                    response.setStatusCode(404).putHeader("Content-Type", "text/plain").end("404 page not found");
                } else {
                    send(response, 200, extra.toString());
                }
            }
        }
    }

    private void submit(HttpServerResponse response, String action, JsonNode body) {
        Refusal refusal = refuseNext.getAndSet(null);
        if (refusal != null) {
            send(response, refusal.status(), taskError(refusal.code(), refusal.message()));
            return;
        }
        String invalid = switch (action) {
            case "MUSIC" -> !body.path("continue_clip_id").asString("").isEmpty()
                    && body.path("task_id").asString("").isEmpty() ? "task id is empty" : null;
            case "LYRICS" -> body.path("prompt").asString("").isEmpty() ? "prompt_empty" : null;
            case "CONCAT" -> body.path("clip_id").asString("").isEmpty() ? "clip_id is empty" : null;
            case "UPLOAD" -> body.path("url").asString("").isEmpty() ? "url is empty" : null;
            default -> "invalid_action";
        };
        if (invalid != null) {
            send(response, 400, taskError(invalid.equals("invalid_action") || invalid.equals("prompt_empty") ? invalid
                    : "invalid_request", invalid));
            return;
        }
        String origin = body.path("task_id").asString("");
        if (!origin.isEmpty() && !jobs.containsKey(origin)) {
            send(response, 400, taskError("task_not_exist", "task_origin_not_exist"));
            return;
        }
        Job job = new Job(action, body, failNext.getAndSet(null));
        jobs.put(job.id, job);
        ObjectNode answer = Json.object();
        answer.put("code", "success");
        answer.put("message", "");
        answer.put("data", job.id);
        send(response, 200, answer.toString());
    }

    /** The task as the upstream reports it now; each look moves it one step on. */
    private ObjectNode observe(Job job) {
        String[] schedule = job.failReason == null ? SCHEDULE : FAILING;
        String status = schedule[Math.min(job.step, schedule.length - 1)];
        job.step++;
        long now = System.currentTimeMillis() / 1000;
        boolean terminal = status.equals("SUCCESS") || status.equals("FAILURE");
        if (job.startTime == 0 && (status.equals("IN_PROGRESS") || terminal)) {
            job.startTime = now;
        }
        if (terminal && job.finishTime == 0) {
            job.finishTime = now;
        }
        ObjectNode t = Json.object();
        t.put("task_id", job.id);
        t.put("notify_hook", "");
        t.put("action", job.action);
        t.put("status", status);
        t.put("fail_reason", status.equals("FAILURE") ? job.failReason : "");
        t.put("submit_time", job.submitTime);
        t.put("start_time", job.startTime);
        t.put("finish_time", job.finishTime);
        t.put("progress", switch (status) {
            case "QUEUED" -> "10%";
            case "IN_PROGRESS" -> "60%";
            case "SUCCESS", "FAILURE" -> "100%";
            default -> "0%";
        });
        String clipStatus = switch (status) {
            case "QUEUED" -> "queued";
            case "IN_PROGRESS" -> "streaming";
            case "SUCCESS" -> "complete";
            case "FAILURE" -> "error";
            default -> "submitted";
        };
        if (job.action.equals("LYRICS")) {
            ObjectNode lyrics = t.putObject("data");
            lyrics.put("id", job.clipIds.get(0));
            lyrics.put("text", clipStatus.equals("complete") ? "[Verse]\n" + job.body.path("prompt").asString("") : "");
            lyrics.put("title", clipStatus.equals("complete") ? "Lyrics" : "");
            lyrics.put("status", clipStatus);
        } else {
            ArrayNode clips = t.putArray("data");
            for (String clipId : job.clipIds) {
                clips.add(FakeSunoExtras.clip(clipId, clipStatus, job.body, job.failReason));
            }
        }
        return t;
    }

    static String success(JsonNode data) {
        ObjectNode root = Json.object();
        root.put("code", "success");
        root.put("message", "");
        root.set("data", data);
        return root.toString();
    }

    static String taskError(String code, String message) {
        ObjectNode root = Json.object();
        root.put("code", code);
        root.put("message", message);
        root.putNull("data");
        return root.toString();
    }

    /** new-api's own errors (key, rate limit) in the OpenAI envelope. */
    static String openAiError(String message) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", "new_api_error");
        return root.toString();
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void send(HttpServerResponse response, int status, String json) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }
}
