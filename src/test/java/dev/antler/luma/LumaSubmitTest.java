package dev.antler.luma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.RequestBodies;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The submit as a function: a client request in, the official upstream request out; Luma's bytes in, a reply out. */
class LumaSubmitTest {

    private static final Headers CLIENT = Headers.of("Authorization", "Bearer sk-client-key-1",
            "Content-Type", "application/json");
    private final LumaSubmit official = new LumaSubmit(LumaFormat.OFFICIAL, false, null);
    private final LumaSubmit reverse = new LumaSubmit(LumaFormat.REVERSE, false, null);

    private static Channel channel(String baseUrl, Map<String, String> mapping) {
        return new Channel(4, "luma-a", "luma", baseUrl, "luma-key-1", Set.of(), mapping, 0, 1, Set.of("default"),
                dev.antler.accounts.Status.ACTIVE, null);
    }

    private static ClientRequest post(String path, String json) {
        return ClientRequest.post(path, CLIENT, RequestBodies.json(json));
    }

    @Test
    void aSubmitGoesToTheOfficialPathWithTheChannelsKeyWhateverTheBaseUrlsSuffix() {
        Intent<LumaRequest> intent = official.inspect(post("/dream-machine/v1/generations",
                "{\"prompt\":\"a heron\",\"model\":\"ray-flash-2\",\"resolution\":\"4k\",\"callback_url\":\"https://me.test/cb\"}"));
        assertThat(intent.model()).isEqualTo("ray-flash-2");
        assertThat(intent.priceKey()).isEqualTo("luma/ray-flash-2/5s/4k");
        for (String base : new String[] {"https://api.lumalabs.ai", "https://api.lumalabs.ai/",
                "https://api.lumalabs.ai/dream-machine/v1"}) {
            UpstreamRequest out = official.upstreamRequest(intent, channel(base, Map.of()), post("/x", "{}"));
            assertThat(out.url()).isEqualTo("https://api.lumalabs.ai/dream-machine/v1/generations");
            assertThat(out.headers().get("Authorization")).isEqualTo("Bearer luma-key-1");
        }
        UpstreamRequest mapped = official.upstreamRequest(intent, channel("https://relay.test",
                Map.of("ray-flash-2", "ray-2")), post("/x", "{}"));
        JsonNode body = Json.MAPPER.readTree(((UpstreamRequest.Bytes) mapped.body()).bytes());
        assertThat(body.path("model").asString()).as("the channel's model mapping").isEqualTo("ray-2");
        assertThat(body.has("callback_url")).isFalse();
        assertThat(official.draft(intent, SubmitReply.Accepted.of("g-1", TaskStatus.QUEUED, new byte[0]))
                .notifyHook()).isEqualTo("https://me.test/cb");
    }

    @Test
    void lumasAnswersAreReadAsItWritesThem() {
        Intent<LumaRequest> intent = reverse.inspect(post("/luma/generations", "{\"user_prompt\":\"x\"}"));
        Channel channel = channel("https://api.lumalabs.ai", Map.of());
        SubmitReply created = reverse.read(intent, channel, 201,
                "{\"id\":\"g-1\",\"state\":\"queued\",\"generation_type\":\"video\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(created).isInstanceOfSatisfying(SubmitReply.Accepted.class, a -> {
            assertThat(a.upstreamId()).isEqualTo("g-1");
            assertThat(a.initial()).isEqualTo(TaskStatus.QUEUED);
        });
        SubmitReply refused = reverse.read(intent, channel, 422,
                "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"too long\"}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(refused).isInstanceOfSatisfying(SubmitReply.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(new String(r.answer(), StandardCharsets.UTF_8)).contains("\"detail\"").contains("too long");
        });
        assertThat(reverse.read(intent, channel, 429, "{\"detail\":\"slow down\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isTrue());
        assertThat(reverse.read(intent, channel, 500, "oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SubmitReply.Failed.class, f -> assertThat(f.tryElsewhere()).isFalse());
    }

    @Test
    void aGenerationsStateIsMappedAndAnUnknownOneIsNoNews() {
        assertThat(LumaTasks.update(Json.MAPPER.readTree("{\"state\":\"dreaming\"}")).status())
                .isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(LumaTasks.update(Json.MAPPER.readTree("{\"state\":\"failed\",\"failure_reason\":\"nsfw\"}"))
                .failReason()).isEqualTo("nsfw");
        assertThat(LumaTasks.update(Json.MAPPER.readTree("{\"state\":\"failed\",\"failure_reason\":null}"))
                .failReason()).isEqualTo("failed");
        assertThat(LumaTasks.update(Json.MAPPER.readTree("{\"state\":\"paused\"}"))).isNull();
    }
}
