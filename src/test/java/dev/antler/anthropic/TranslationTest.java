package dev.antler.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import dev.antler.sse.SseEvent;
import dev.antler.tokens.TokenEstimator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Request and answer translation details between Anthropic Messages and OpenAI chat, without sockets. */
class TranslationTest {

    private static JsonNode toChat(String messagesRequest) {
        MessagesRequest request = MessagesRequest.parse(messagesRequest.getBytes(StandardCharsets.UTF_8), true);
        return Json.MAPPER.readTree(MessagesToChat.translate(request, "gpt-4o-mini"));
    }

    private static JsonNode toMessages(String chatRequest) {
        return Json.MAPPER.readTree(ChatToMessages.translate(Json.MAPPER.readTree(chatRequest), "claude", "claude-x"));
    }

    @Test
    void imagesBecomeImageUrlPartsAndBack() {
        JsonNode chat = toChat("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                  {"type":"text","text":"What is this?"}]}]}""");

        JsonNode parts = chat.path("messages").path(0).path("content");
        assertThat(parts.path(0).path("image_url").path("url").asString()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(parts.path(1).path("image_url").path("url").asString()).isEqualTo("https://example.com/cat.jpg");
        assertThat(parts.path(2).path("text").asString()).isEqualTo("What is this?");

        JsonNode back = toMessages("{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":" + parts + "}]}");
        JsonNode blocks = back.path("messages").path(0).path("content");
        assertThat(blocks.path(0).path("source").toString())
                .isEqualTo("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}");
        assertThat(blocks.path(1).path("source").toString())
                .isEqualTo("{\"type\":\"url\",\"url\":\"https://example.com/cat.jpg\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"auto"}                                  | "auto"
            {"type":"any"}                                   | "required"
            {"type":"none"}                                  | "none"
            {"type":"tool","name":"get_weather"}             | {"type":"function","function":{"name":"get_weather"}}
            """)
    void toolChoiceMapsBothWays(String anthropic, String openai) {
        JsonNode chat = toChat("""
                {"model":"m","max_tokens":5,"tool_choice":%s,"messages":[{"role":"user","content":"Hi"}]}"""
                .formatted(anthropic));
        assertThat(chat.path("tool_choice").toString()).isEqualTo(openai);

        JsonNode messages = toMessages("""
                {"model":"claude","tool_choice":%s,"messages":[{"role":"user","content":"Hi"}]}""".formatted(openai));
        assertThat(messages.path("tool_choice").toString()).isEqualTo(anthropic);
    }

    @Test
    void consecutiveToolMessagesBecomeOneUserTurnAndSystemMessagesJoin() {
        JsonNode messages = toMessages("""
                {"model":"claude","parallel_tool_calls":false,"stop":"END","tools":[{"type":"function","function":{"name":"f"}}],
                 "messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"Use tools."},
                  {"role":"user","content":"Both cities"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_2","type":"function","function":{"name":"f","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18"},
                  {"role":"tool","tool_call_id":"call_2","content":"3"}]}""");

        assertThat(messages.path("system").asString()).isEqualTo("Be brief.\n\nUse tools.");
        assertThat(messages.path("messages").size()).isEqualTo(3);
        JsonNode results = messages.path("messages").path(2);
        assertThat(results.path("role").asString()).isEqualTo("user");
        assertThat(results.path("content").findValuesAsString("tool_use_id")).containsExactly("call_1", "call_2");
        assertThat(messages.path("tool_choice").toString()).isEqualTo("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
        assertThat(messages.path("tools").path(0).path("input_schema").toString()).isEqualTo("{\"type\":\"object\"}");
        assertThat(messages.path("stop_sequences").toString()).isEqualTo("[\"END\"]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"claude","n":2,"messages":[{"role":"user","content":"Hi"}]}                         | n: 2
            {"model":"claude","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"Hi"}]} | response_format:
            {"model":"claude","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]} | a user content part of type input_audio
            {"model":"claude","messages":[{"role":"function","name":"f","content":"x"}]}                  | messages[].role: function
            {"model":"claude","messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{oops"}}]}]} | tool_calls[].function.arguments
            """)
    void chatRequestsThatCannotBeTranslatedAreRefused(String chat, String message) {
        assertThatThrownBy(() -> toMessages(chat)).isInstanceOf(GatewayException.class)
                .hasMessageContaining(message).extracting(e -> ((GatewayException) e).status()).isEqualTo(400);
    }

    @Test
    void stopReasonsMapBothWays() {
        assertThat(Answers.stopReason("length")).isEqualTo("max_tokens");
        assertThat(Answers.stopReason("tool_calls")).isEqualTo("tool_use");
        assertThat(Answers.stopReason("content_filter")).isEqualTo("refusal");
        assertThat(Answers.stopReason("stop")).isEqualTo("end_turn");
        assertThat(Answers.finishReason("max_tokens")).isEqualTo("length");
        assertThat(Answers.finishReason("tool_use")).isEqualTo("tool_calls");
        assertThat(Answers.finishReason("stop_sequence")).isEqualTo("stop");
        assertThat(Answers.finishReason("refusal")).isEqualTo("content_filter");
    }

    @Test
    void errorTypesFollowAnthropicsStatusTable() {
        assertThat(AnthropicErrorFormat.typeOf(400)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrorFormat.typeOf(401)).isEqualTo("authentication_error");
        assertThat(AnthropicErrorFormat.typeOf(403)).isEqualTo("permission_error");
        assertThat(AnthropicErrorFormat.typeOf(404)).isEqualTo("not_found_error");
        assertThat(AnthropicErrorFormat.typeOf(413)).isEqualTo("request_too_large");
        assertThat(AnthropicErrorFormat.typeOf(429)).isEqualTo("rate_limit_error");
        assertThat(AnthropicErrorFormat.typeOf(500)).isEqualTo("api_error");
        assertThat(AnthropicErrorFormat.typeOf(529)).isEqualTo("overloaded_error");
        String event = AnthropicErrorFormat.INSTANCE.renderStreamEvent(GatewayException.badRequest("x", "bad: 1"), "req_1")
                .toString();
        assertThat(event).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"bad: 1 (request id: req_1)\"},\"request_id\":\"req_1\"}\n\n");
    }

    @Test
    void translatedEventsWithoutTheUpstreamsDoneNeverEndTheMessage() {
        MessagesRequest request = MessagesRequest.parse("""
                {"model":"gpt-4o-mini","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""
                .getBytes(StandardCharsets.UTF_8), true);
        ChatToMessagesTap tap = new ChatToMessagesTap(request);
        String first = text(tap.render(data("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}")));
        String finish = text(tap.render(data("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},"
                + "\"finish_reason\":\"length\"}]}")));

        assertThat(first).startsWith("event: message_start\n").contains("event: content_block_start\n")
                .contains("\"text_delta\",\"text\":\"Hi\"");
        assertThat(finish).isEmpty();
        // No usage came: the end reports the estimate, rendered once the answer is metered (off the event loop).
        assertThat(text(tap.render(data("[DONE]")))).isEmpty();
        assertThat(tap.streamEndRendered()).isFalse();
        String done = text(tap.renderEnd(tap.meter()));
        assertThat(done).startsWith("event: content_block_stop\n").contains("\"stop_reason\":\"max_tokens\"")
                .contains("\"output_tokens\":" + TokenEstimator.count("Hi"))
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(tap.streamEndRendered()).isTrue();
    }

    @Test
    void anUpstreamThatFinishedWithoutItsEndMarkerStillEndsTheClientsStream() {
        MessagesRequest request = MessagesRequest.parse("""
                {"model":"gpt-4o-mini","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""
                .getBytes(StandardCharsets.UTF_8), true);
        ChatToMessagesTap finished = new ChatToMessagesTap(request);
        finished.render(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"));
        ChatToMessagesTap unfinished = new ChatToMessagesTap(request);
        unfinished.render(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}"));

        assertThat(text(finished.renderEnd(finished.meter())))
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(text(unfinished.renderEnd(finished.meter()))).isEmpty();
        finished.render(data("[DONE]"));
        assertThat(text(finished.renderEnd(finished.meter()))).isEmpty();

        MessagesToChatTap chat = new MessagesToChatTap("claude", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false, 0);
        chat.render(named("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}"));
        assertThat(text(chat.renderEnd(chat.meter()))).isEqualTo("data: [DONE]\n\n");
        chat.render(named("{\"type\":\"message_stop\"}"));
        assertThat(text(chat.renderEnd(chat.meter()))).isEmpty();
    }

    @Test
    void eachTapKnowsWhenTheStreamsOwnEndWentToTheClient() {
        MessagesRequest request = MessagesRequest.parse("""
                {"model":"claude","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""
                .getBytes(StandardCharsets.UTF_8), true);
        AnthropicTap anthropic = new AnthropicTap(request, false);
        anthropic.onEvent(named("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}"));
        assertThat(anthropic.streamEndRendered()).isFalse();
        anthropic.onEvent(named("{\"type\":\"message_stop\"}"));
        assertThat(anthropic.streamEndRendered()).isTrue();

        ChatToMessagesTap toMessages = new ChatToMessagesTap(request);
        toMessages.render(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}"));
        assertThat(toMessages.streamEndRendered()).isFalse();
        toMessages.render(data("[DONE]"));
        assertThat(toMessages.streamEndRendered()).isTrue();
        // Without usage, the end (with the estimate) goes out once the answer is metered.
        ChatToMessagesTap estimated = new ChatToMessagesTap(request);
        estimated.render(data("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"));
        estimated.render(data("[DONE]"));
        assertThat(estimated.streamEndRendered()).isFalse();
        estimated.renderEnd(estimated.meter());
        assertThat(estimated.streamEndRendered()).isTrue();

        MessagesToChatTap toChat = new MessagesToChatTap("claude", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false, 0);
        toChat.render(named("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}"));
        assertThat(toChat.streamEndRendered()).isFalse();
        toChat.render(named("{\"type\":\"message_stop\"}"));
        assertThat(toChat.streamEndRendered()).isTrue();
    }

    private static String text(byte[] rendered) {
        return new String(rendered, StandardCharsets.UTF_8);
    }

    private static SseEvent named(String data) {
        return new SseEvent(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), "x", data, null);
    }

    private static SseEvent data(String data) {
        return new SseEvent(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), null, data, null);
    }
}
