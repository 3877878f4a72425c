package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelUrlTest {

    private static Channel channel(String type, String baseUrl) {
        return new Channel(7, "c", type, baseUrl, "sk-x", Set.of(), Map.of(), 0, 1, Set.of("default"),
                Status.ACTIVE, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://api.openai.com      | /v1/chat/completions       | https://api.openai.com/v1/chat/completions
            https://api.openai.com/     | /v1/chat/completions       | https://api.openai.com/v1/chat/completions
            https://api.openai.com/v1   | /v1/chat/completions       | https://api.openai.com/v1/chat/completions
            https://api.openai.com/v1// | /v1/chat/completions       | https://api.openai.com/v1/chat/completions
            ' https://r.example/v1 '    | /v1/messages               | https://r.example/v1/messages
            https://r.example/openai/v1 | /v1/embeddings             | https://r.example/openai/v1/embeddings
            https://r.example/v1        | /generate                  | https://r.example/v1/generate
            https://api.ideogram.ai     | /v1/ideogram-v3/generate   | https://api.ideogram.ai/v1/ideogram-v3/generate
            https://r.example/ideogram  | /v1/ideogram-v3/generate   | https://r.example/ideogram/v1/ideogram-v3/generate
            https://mj.example/         | /mj/task/list-by-condition | https://mj.example/mj/task/list-by-condition
            https://mj.example/v1       | /mj/submit/imagine         | https://mj.example/v1/mj/submit/imagine
            https://x.example/v10       | /v1/models                 | https://x.example/v10/v1/models
            """)
    void joinsTheBaseUrlAndThePath(String baseUrl, String path, String url) {
        assertThat(channel("openai", baseUrl).url(path)).isEqualTo(url);
    }

    @Test
    void theRegistryFillsInTheTypesDefaultBaseUrlAndLeavesTheStoredChannelAsItIs() {
        ChannelRegistry registry = new ChannelRegistry(new ChannelHealth(Clock.systemUTC(),
                ChannelHealth.Settings.DEFAULTS), Map.of("ideogram", "https://api.ideogram.ai"));
        Channel blank = channel("ideogram", "");
        Channel own = channel("ideogram", "https://relay.example/ideogram");
        Channel other = channel("openai", "");

        registry.replace(List.of(blank));
        assertThat(registry.all().getFirst().url("/generate")).isEqualTo("https://api.ideogram.ai/generate");
        assertThat(blank.baseUrl()).isEmpty();
        assertThat(registry.withDefaults(blank).baseUrl()).isEqualTo("https://api.ideogram.ai");
        assertThat(registry.withDefaults(own)).isSameAs(own);
        assertThat(registry.withDefaults(other)).isSameAs(other);
        assertThat(other.url("/v1/models")).isEqualTo("/v1/models");
    }
}
