package dev.antler.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.json.JsonRequest;
import dev.antler.relay.ResponseTap;
import dev.antler.sse.SseEvent;
import dev.antler.testing.Chunking;
import dev.antler.tokens.TokenEstimator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OpenAI tap without sockets: what it estimates from a body fed in chunks, and when a stream ended. */
class OpenAiTapTest {

    private static OpenAiTap tap(OpenAiEndpoint endpoint) {
        JsonRequest json = JsonRequest.parse("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                .getBytes(UTF_8), Set.of());
        return new OpenAiTap(new OpenAiRequest(endpoint, json, Map.of(), -1, 1, 0, 0, false, null, null));
    }

    private static void assertEstimatedAtEveryChunking(OpenAiEndpoint endpoint, String body, String generated) {
        byte[] input = body.getBytes(UTF_8);
        long expected = TokenEstimator.count(generated);
        assertThat(expected).isPositive();
        for (int[] cuts : Chunking.all(input.length, 50)) {
            OpenAiTap tap = tap(endpoint);
            Chunking.feed(input, cuts, tap::onBytes);
            ResponseTap.Metered metered = tap.meter();
            assertThat(metered.basis()).isEqualTo("estimated");
            assertThat(metered.usage().completionTokens()).isEqualTo(expected);
            assertThat(metered.usage().promptTokens()).isPositive();
        }
    }

    @Test
    void aChatCompletionWithoutUsageIsEstimatedFromItsMessageAndToolCalls() {
        assertEstimatedAtEveryChunking(OpenAiEndpoint.CHAT, """
                {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant",
                "content":"Let me check the weather.","tool_calls":[{"id":"call_1","type":"function","function":
                {"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"},
                {"index":1,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                "finish_reason":"stop"}]}""",
                "Let me check the weather.{\"city\":\"Paris\"}I can't help with that.");
    }

    @Test
    void aCompletionWithoutUsageIsEstimatedFromItsText() {
        assertEstimatedAtEveryChunking(OpenAiEndpoint.COMPLETIONS, """
                {"id":"cmpl-1","object":"text_completion","choices":[{"text":"\\n\\nThis is indeed a test","index":0,
                "logprobs":null,"finish_reason":"length"}]}""", "\n\nThis is indeed a test");
    }

    @Test
    void aResponseWithoutUsageIsEstimatedFromItsOutput() {
        assertEstimatedAtEveryChunking(OpenAiEndpoint.RESPONSES, """
                {"id":"resp_1","object":"response","status":"completed","output":[
                {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking it over."}]},
                {"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text",
                "text":"In a peaceful grove beneath a silver moon...","annotations":[]}]},
                {"type":"function_call","id":"fc_1","call_id":"call_1","name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}],
                "usage":null}""", "Thinking it over.In a peaceful grove beneath a silver moon...{\"city\":\"Oslo\"}");
    }

    @Test
    void theStreamEndsWithDoneOrTheLastResponsesEvent() {
        OpenAiTap chat = tap(OpenAiEndpoint.CHAT);
        chat.onEvent(event("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"));
        assertThat(chat.streamEndRendered()).isFalse();
        chat.onEvent(event("[DONE]"));
        assertThat(chat.streamEndRendered()).isTrue();

        OpenAiTap responses = tap(OpenAiEndpoint.RESPONSES);
        responses.onEvent(event("{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}"));
        assertThat(responses.streamEndRendered()).isFalse();
        responses.onEvent(event("{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":1}}}"));
        assertThat(responses.streamEndRendered()).isTrue();
    }

    private static SseEvent event(String data) {
        return new SseEvent(("data: " + data + "\n\n").getBytes(UTF_8), null, data, null);
    }
}
