package dev.antler.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

class JsonRequestTest {

    private static final Set<String> KEEP = Set.of("stream", "stream_options", "max_tokens");

    private static JsonRequest parse(String json) {
        return JsonRequest.parse(json.getBytes(StandardCharsets.UTF_8), KEEP);
    }

    private static JsonNode tree(byte[] body) {
        return Json.MAPPER.readTree(body);
    }

    @Test
    void readsTopLevelFieldsAndSkipsNestedModelKeys() {
        JsonRequest request = parse("""
                {"messages":[{"role":"user","content":"say \\"model\\"","model":"nested"}],
                 "model":"gpt-4o-mini","stream":true,"max_tokens":64,"tools":[{"model":"x"}]}""");
        assertThat(request.requiredString("model")).isEqualTo("gpt-4o-mini");
        assertThat(request.bool("stream")).isTrue();
        assertThat(request.integer("max_tokens", 1, 100, -1)).isEqualTo(64);
        assertThat(request.tokenOf("messages")).isEqualTo(JsonToken.START_ARRAY);
        assertThat(request.tokenOf("absent")).isNull();
        assertThat(request.field("absent").isMissingNode()).isTrue();
    }

    @Test
    void patchReplacesOnlyTheTopLevelModel() {
        String body = "{\"messages\":[{\"model\":\"keep\",\"content\":\"\\u00e9\"}],\"model\":\"gpt-4o-mini\",\"n\":1}";
        byte[] patched = parse(body).patched("gpt-4o-mini-2024-07-18", false);
        JsonNode tree = tree(patched);
        assertThat(tree.path("model").stringValue()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(tree.path("messages").get(0).path("model").stringValue()).isEqualTo("keep");
        assertThat(tree.path("messages").get(0).path("content").stringValue()).isEqualTo("é");
        assertThat(tree.path("n").intValue()).isEqualTo(1);
    }

    @Test
    void unchangedRequestIsReturnedAsIs() {
        byte[] body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonRequest request = JsonRequest.parse(body, KEEP);
        assertThat(request.patched("m", true)).isSameAs(body);
    }

    @Test
    void addsIncludeUsageAndMapsModelTogether() {
        byte[] patched = parse("{\"model\":\"a\",\"stream\":true,\"messages\":[]}").patched("b", true);
        JsonNode tree = tree(patched);
        assertThat(tree.path("model").stringValue()).isEqualTo("b");
        assertThat(tree.path("stream_options").path("include_usage").booleanValue()).isTrue();
        assertThat(tree.path("messages").isArray()).isTrue();
    }

    @Test
    void mergesIncludeUsageIntoExistingStreamOptions() {
        byte[] patched = parse("{\"stream_options\":{\"include_obfuscation\":false},\"model\":\"a\",\"stream\":true}")
                .patched("a", true);
        JsonNode options = tree(patched).path("stream_options");
        assertThat(options.path("include_usage").booleanValue()).isTrue();
        assertThat(options.path("include_obfuscation").booleanValue()).isFalse();
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        for (String bad : new String[] {"[1,2]", "{\"model\":", "{\"model\":\"a\"} trailing", "nope", "\"str\""}) {
            assertThatThrownBy(() -> parse(bad))
                    .isInstanceOf(GatewayException.class)
                    .satisfies(e -> assertThat(((GatewayException) e).status()).isEqualTo(400))
                    .hasMessageContaining("request body");
        }
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertThatThrownBy(() -> parse("{\"messages\":[]}").requiredString("model"))
                .hasMessage("model: missing (expected: a string)");
        assertThatThrownBy(() -> parse("{\"model\":42}").requiredString("model"))
                .hasMessage("model: 42 (expected: a non-empty string)");
        assertThatThrownBy(() -> parse("{\"max_tokens\":-5}").integer("max_tokens", 1, 100, 0))
                .hasMessage("max_tokens: -5 (expected: an integer from 1 to 100)");
    }

    @Test
    void integersOutOfRangeOrBeyondALongAreRefusedNamingTheField() {
        for (String value : new String[] {"101", "9223372036854775807", "9223372036854775808", "18446744073709551616",
                "2.0", "\"7\"", "true"}) {
            assertThatThrownBy(() -> parse("{\"max_tokens\":" + value + "}").integer("max_tokens", 1, 100, 1))
                    .hasMessage("max_tokens: " + value + " (expected: an integer from 1 to 100)");
        }
        assertThat(parse("{\"max_tokens\":null}").integer("max_tokens", 1, 100, 7)).isEqualTo(7);
        assertThat(parse("{\"max_tokens\":100}").integer("max_tokens", 1, 100, 7)).isEqualTo(100);
    }

    @Test
    void aKeptFieldIsReadIntoATreeOnlyWhenSmall() {
        JsonRequest small = parse("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true}}");
        assertThat(small.field("stream_options").path("include_usage").asBoolean()).isTrue();

        String zeros = "[" + "0,".repeat(JsonRequest.MAX_KEPT_VALUE_BYTES) + "0]";
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"stream_options\":" + zeros + "}"))
                .isInstanceOf(GatewayException.class)
                .hasMessageStartingWith("stream_options: " + zeros.length() + " bytes of JSON (expected: a small value");
        assertThatThrownBy(() -> parse("{\"model\":" + zeros + "}")).hasMessageStartingWith("model: ");
    }
}
