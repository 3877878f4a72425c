package dev.antler.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.family.Families;
import dev.antler.routing.Channel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The families' test requests, as {@link ChannelProbes} builds them. */
class ChannelProbesTest {

    private final ChannelProbes probes = ChannelProbes.of(Families.builtIn());

    private static Channel channel(String type, String baseUrl, Set<String> models, Map<String, String> mapping) {
        return new Channel(3, "c", type, baseUrl, "sk-probe-0001", models, mapping, 0, 1, Set.of("default"),
                Status.ACTIVE, null);
    }

    @Test
    void openAiAsksForOneTokenWithTheKeyAsABearerToken() {
        ProbeRequest p = probes.probe(channel("openai", "https://api.openai.com/v1/", Set.of(), Map.of()))
                .orElseThrow();

        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.url()).isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(p.headers().get("Authorization")).isEqualTo("Bearer sk-probe-0001");
        assertThat(p.headers().get("User-Agent")).isEqualTo(ProbeRequest.USER_AGENT);
        assertThat(p.body()).contains("\"model\":\"gpt-4o-mini\"").contains("\"max_tokens\":1");
    }

    @Test
    void anthropicSendsTheKeyInXApiKeyAndAsksForTheChannelsOwnModel() {
        ProbeRequest p = probes.probe(channel("anthropic", "https://api.anthropic.com", Set.of("claude-x"),
                Map.of("claude-x", "claude-x-20250101"))).orElseThrow();

        assertThat(p.url()).isEqualTo("https://api.anthropic.com/v1/messages");
        assertThat(p.headers().get("x-api-key")).isEqualTo("sk-probe-0001");
        assertThat(p.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(p.headers().contains("Authorization")).isFalse();
        assertThat(p.body()).contains("\"model\":\"claude-x-20250101\"");
    }

    @Test
    void midjourneyQueriesNoTasksWithTheSecret() {
        ProbeRequest p = probes.probe(channel("midjourney", "https://mj.example/", Set.of(), Map.of())).orElseThrow();

        assertThat(p.url()).isEqualTo("https://mj.example/mj/task/list-by-condition");
        assertThat(p.headers().get("mj-api-secret")).isEqualTo("sk-probe-0001");
        assertThat(p.body()).isEqualTo("{\"ids\":[]}");
    }

    @Test
    void recraftIsProbedByReadingTheAccountWhichIsFree() {
        ProbeRequest p = probes.probe(channel("recraft", "https://external.api.recraft.ai/v1", Set.of(), Map.of()))
                .orElseThrow();
        assertThat(p.method()).isEqualTo("GET");
        assertThat(p.url()).isEqualTo("https://external.api.recraft.ai/v1/users/me");
        assertThat(p.headers().get("Authorization")).isEqualTo("Bearer sk-probe-0001");
        assertThat(p.body()).isNull();
    }

    @Test
    void ideogramAndUnknownTypesAreNotTestable() {
        assertThat(probes.probe(channel("ideogram", "", Set.of(), Map.of()))).isEmpty();
        assertThat(probes.probe(channel("foo", "https://x.example", Set.of(), Map.of()))).isEmpty();
        assertThat(probes.types()).containsExactly("anthropic", "flux", "kling", "luma", "midjourney", "minimax", "openai", "recraft", "replicate", "runway", "suno");
    }
}
