package dev.antler.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.Json;
import dev.antler.json.JsonTreeSize;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TokenEstimatorTest {

    private static final String REQUEST = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},
             {"role":"user","content":[{"type":"text","text":"Hello \\u00e9 there"},{"type":"image_url",
             "image_url":{"url":"https://x/y.png"}}]}],"prompt":"a prompt","input":["one","two"],
             "tools":[{"type":"function","function":{"name":"skip_me","description":"not counted"}}]}""";

    @Test
    void countingTheBytesAsAStreamGivesWhatTheTreeGives() {
        byte[] bytes = REQUEST.getBytes(StandardCharsets.UTF_8);
        JsonNode tree = Json.MAPPER.readTree(bytes);
        long fromTree = TokenEstimator.countStrings(tree.get("messages")) + TokenEstimator.countStrings(tree.get("prompt"))
                + TokenEstimator.countStrings(tree.get("input"));

        assertThat(TokenEstimator.countStrings(bytes, Set.of("messages", "prompt", "input", "instructions")))
                .isEqualTo(fromTree).isPositive();
        assertThat(TokenEstimator.countStrings(bytes, Set.of("absent"))).isZero();
        assertThat(TokenEstimator.countStrings("not json".getBytes(StandardCharsets.UTF_8), Set.of("messages"))).isZero();
    }

    @Test
    void aTreeIsEstimatedByItsValuesNotOnlyItsBytes() {
        byte[] text = ("{\"content\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] zeros = ("[" + "0,".repeat(5_000) + "0]").getBytes(StandardCharsets.UTF_8);

        assertThat(JsonTreeSize.estimate(text)).isBetween(10_000L, 11_000L);
        assertThat(JsonTreeSize.estimate(zeros)).isGreaterThan(40L * zeros.length);
    }
}
