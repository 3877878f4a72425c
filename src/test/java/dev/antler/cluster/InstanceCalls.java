package dev.antler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The calls the multi-instance tests make to gateway processes: chat completions (one, or many clients spending a
 * user through all instances), admin calls, health and metrics, and how long a channel change made through one
 * instance takes to show on the others.
 */
final class InstanceCalls {

    private static final String CHAT = """
            {"model":"%s","max_tokens":50,"messages":[{"role":"user","content":"Hello"}]}""";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String adminKey;

    InstanceCalls(String adminKey) {
        this.adminKey = adminKey;
    }

    /** The chat request's body for {@code model}. */
    static String chatBody(String model) {
        return CHAT.formatted(model);
    }

    HttpResponse<String> chat(GatewayProcess instance, String key, String model) {
        // generous: the first request whose hold counts tokens loads the tokenizer, slow on a busy machine
        return post(instance, "/v1/chat/completions", key, chatBody(model), Duration.ofSeconds(120));
    }

    /** POSTs the JSON {@code body} with {@code key}, waiting up to {@code patience} (a cut: UncheckedIOException). */
    HttpResponse<String> post(GatewayProcess instance, String path, String key, String body, Duration patience) {
        return send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(patience).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> admin(GatewayProcess instance, String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> get(GatewayProcess instance, String path) {
        return send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .build());
    }

    long channelId(GatewayProcess instance, String name) {
        return channel(instance, name).path("id").asLong();
    }

    /** Channel {@code name} as {@code instance}'s admin API lists it (with its live {@code health}). */
    JsonNode channel(GatewayProcess instance, String name) {
        JsonNode list = Json.MAPPER.readTree(admin(instance, "GET", "/api/admin/channels", "").body());
        for (JsonNode channel : list.path("data")) {
            if (channel.path("name").asText().equals(name)) {
                return channel;
            }
        }
        throw new AssertionError("no channel " + name + " in " + list);
    }

    /** Enables or disables channel {@code name} through {@code instance}'s admin API. */
    void setChannelEnabled(GatewayProcess instance, String name, boolean enabled) {
        HttpResponse<String> answer = admin(instance, "PATCH", "/api/admin/channels/" + channelId(instance, name),
                "{\"enabled\":" + enabled + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /**
     * Ms from now until chat requests through every one of {@code others} reach {@code channelUpstream}
     * ({@code used}) or pass it by, five rounds in a row; fails if that takes longer than {@code withinMs}.
     */
    long msUntilOthersFollow(List<GatewayProcess> others, FakeOpenAi channelUpstream, boolean used, String key,
                             String model, long withinMs) throws InterruptedException {
        long since = System.nanoTime();
        long followedMs = -1;
        int inARow = 0;
        while (inARow < 5 && System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(withinMs + 5_000)) {
            boolean followedByAll = true;
            for (GatewayProcess other : others) {
                int before = channelUpstream.requests().size();
                HttpResponse<String> answer = chat(other, key, model);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                followedByAll &= (channelUpstream.requests().size() > before) == used;
            }
            inARow = followedByAll ? inARow + 1 : 0;
            if (inARow == 1) {
                followedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
            Thread.sleep(20);
        }
        assertThat(inARow).as("the other instances keep to the change").isEqualTo(5);
        assertThat(followedMs).as("ms until the other instances kept to the change").isBetween(0L, withinMs);
        return followedMs;
    }

    /**
     * Six clients per instance spend the user of {@code key} through all {@code instances} at once, each until
     * refused three times in a row or {@code seconds} passed; {@code onAnswer} runs after each 200. Returns how many
     * answers had each status, a connection cut counted as -1 (the first cut and the first answer of any other
     * status are printed).
     */
    Map<Integer, Integer> hammer(List<GatewayProcess> instances, String key, int seconds, Runnable onAnswer)
            throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(6 * instances.size())) {
            List<Future<?>> running = new ArrayList<>();
            for (GatewayProcess instance : instances) {
                for (int c = 0; c < 6; c++) {
                    running.add(clients.submit(() -> spend(instance, key, seconds, onAnswer, statuses)));
                }
            }
            for (Future<?> client : running) {
                client.get(300, TimeUnit.SECONDS);
            }
        }
        return statuses;
    }

    private Void spend(GatewayProcess instance, String key, int seconds, Runnable onAnswer,
                       Map<Integer, Integer> statuses) {
        int refusedInARow = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (refusedInARow < 3 && System.nanoTime() < deadline) {
            HttpResponse<String> answer;
            try {
                answer = chat(instance, key, "gpt-4o-mini");
            } catch (UncheckedIOException e) { // a connection cut: counted, the money checks still apply
                if (statuses.merge(-1, 1, Integer::sum) == 1) {
                    System.out.printf("first connection cut: %s%n", e.getCause());
                }
                continue;
            }
            int status = answer.statusCode();
            if (statuses.merge(status, 1, Integer::sum) == 1 && status != 200) {
                System.out.printf("first %d answer: %s%n", status, answer.body());
            }
            refusedInARow = status == 403 ? refusedInARow + 1 : 0;
            if (status == 200) {
                onAnswer.run();
            }
        }
        return null;
    }

    /** {@code /health/ready}'s {@code details.redis}. */
    JsonNode redisHealth(GatewayProcess instance) {
        HttpResponse<String> ready = get(instance, "/health/ready");
        assertThat(ready.statusCode()).as("Redis never makes an instance not ready: " + ready.body()).isEqualTo(200);
        return Json.MAPPER.readTree(ready.body()).path("details").path("redis");
    }

    /** A metric's value in {@code /metrics} (the first sample of that name). */
    long metric(GatewayProcess instance, String name) {
        String body = get(instance, "/metrics").body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError("no metric " + name + " in /metrics of " + instance.baseUrl());
    }

    /** Waits up to {@code seconds} until {@code condition} holds for the {@code details.redis} of every instance. */
    void awaitRedisHealth(List<GatewayProcess> instances, Predicate<JsonNode> condition, String what, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (GatewayProcess instance : instances) {
            JsonNode last = redisHealth(instance);
            while (!condition.test(last)) {
                assertThat(System.nanoTime()).as("%s within %d s on %s; last said: %s", what, seconds,
                        instance.baseUrl(), last).isLessThan(deadline);
                Thread.sleep(50);
                last = redisHealth(instance);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
