package dev.antler.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's documented answer shapes (API reference, 2025), as the fake upstream sends them: chat
 * completions and their chunks, legacy completions, Responses API objects and stream events,
 * embeddings, images, transcriptions and moderations.
 */
final class OpenAiShapes {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final long CREATED = 1_741_569_952L;
    static final float[] EMBEDDING = {0.0023064255f, -0.009327292f, 0.015797347f, -0.0077780345f};

    private OpenAiShapes() {}

    static ObjectNode usage(FakeReply reply) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", reply.promptTokens());
        usage.put("completion_tokens", reply.completionTokens());
        usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
        ObjectNode prompt = usage.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", reply.cachedTokens());
        prompt.put("audio_tokens", 0);
        ObjectNode completion = usage.putObject("completion_tokens_details");
        completion.put("reasoning_tokens", 0);
        completion.put("audio_tokens", 0);
        completion.put("accepted_prediction_tokens", 0);
        completion.put("rejected_prediction_tokens", 0);
        return usage;
    }

    static ObjectNode chatCompletion(String model, FakeReply reply) {
        ObjectNode root = head("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "chat.completion", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (reply.toolCall() != null && reply.text().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        message.putNull("refusal");
        if (reply.toolCall() != null) {
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", reply.toolCall().id());
            call.put("type", "function");
            call.putObject("function").put("name", reply.toolCall().name()).put("arguments", reply.toolCall().arguments());
        }
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.toolCall() != null ? "tool_calls" : "stop");
        if (reply.usage()) {
            root.set("usage", usage(reply));
        }
        root.put("service_tier", "default");
        root.put("system_fingerprint", "fp_fake0001");
        return root;
    }

    /** The data of each chunk event (without the final {@code [DONE]}). */
    static List<String> chatChunks(String model, FakeReply reply, boolean includeUsage) {
        List<String> events = new ArrayList<>();
        List<ObjectNode> deltas = new ArrayList<>();
        ObjectNode first = JSON.createObjectNode();
        first.put("role", "assistant");
        first.put("content", "");
        first.putNull("refusal");
        deltas.add(first);
        for (String text : reply.deltas()) {
            deltas.add(JSON.createObjectNode().put("content", text));
        }
        if (reply.toolCall() != null) {
            for (int i = 0; i < reply.toolCall().argumentChunks().size(); i++) {
                ObjectNode call = JSON.createObjectNode().put("index", 0);
                if (i == 0) {
                    call.put("id", reply.toolCall().id()).put("type", "function");
                    call.putObject("function").put("name", reply.toolCall().name()).put("arguments", "");
                    deltas.add(toolCallDelta(call.deepCopy()));
                    call = JSON.createObjectNode().put("index", 0);
                }
                call.putObject("function").put("arguments", reply.toolCall().argumentChunks().get(i));
                deltas.add(toolCallDelta(call));
            }
        }
        deltas.add(JSON.createObjectNode());
        for (int i = 0; i < deltas.size(); i++) {
            ObjectNode chunk = head("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "chat.completion.chunk", model);
            chunk.put("service_tier", "default");
            chunk.put("system_fingerprint", "fp_fake0001");
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", deltas.get(i));
            choice.putNull("logprobs");
            if (i == deltas.size() - 1) {
                choice.put("finish_reason", reply.toolCall() != null ? "tool_calls" : "stop");
            } else {
                choice.putNull("finish_reason");
            }
            if (includeUsage) {
                chunk.putNull("usage");
            }
            events.add(chunk.toString());
        }
        if (includeUsage && reply.usage()) {
            ObjectNode last = head("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "chat.completion.chunk", model);
            last.put("service_tier", "default");
            last.put("system_fingerprint", "fp_fake0001");
            last.putArray("choices");
            last.set("usage", usage(reply));
            events.add(last.toString());
        }
        return events;
    }

    private static ObjectNode toolCallDelta(ObjectNode call) {
        ObjectNode delta = JSON.createObjectNode();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    static ObjectNode completion(String model, FakeReply reply) {
        ObjectNode root = head("cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "text_completion", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", reply.text());
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        root.put("system_fingerprint", "fp_fake0001");
        if (reply.usage()) {
            root.set("usage", usage(reply));
        }
        return root;
    }

    static List<String> completionChunks(String model, FakeReply reply, boolean includeUsage) {
        List<String> events = new ArrayList<>();
        List<String> texts = new ArrayList<>(reply.deltas());
        texts.add("");
        for (int i = 0; i < texts.size(); i++) {
            ObjectNode chunk = head("cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "text_completion", model);
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("text", texts.get(i));
            choice.put("index", 0);
            choice.putNull("logprobs");
            if (i == texts.size() - 1) {
                choice.put("finish_reason", "stop");
            } else {
                choice.putNull("finish_reason");
            }
            if (includeUsage) {
                chunk.putNull("usage");
            }
            events.add(chunk.toString());
        }
        if (includeUsage && reply.usage()) {
            ObjectNode last = head("cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", "text_completion", model);
            last.putArray("choices");
            last.set("usage", usage(reply));
            events.add(last.toString());
        }
        return events;
    }

    /** The id of every response of {@link #response(String, FakeReply, boolean)}. */
    static final String RESPONSE_ID = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b";

    static ObjectNode response(String model, FakeReply reply, boolean completed) {
        return response(RESPONSE_ID, model, reply, completed ? "completed" : "in_progress");
    }

    /** A Responses API response object; {@code status} completed has its output and usage, any other none. */
    static ObjectNode response(String id, String model, FakeReply reply, String status) {
        boolean completed = status.equals("completed");
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "response");
        root.put("created_at", CREATED);
        root.put("status", status);
        root.putNull("error");
        root.putNull("incomplete_details");
        root.putNull("instructions");
        root.putNull("max_output_tokens");
        root.put("model", model);
        ArrayNode output = root.putArray("output");
        if (completed) {
            ObjectNode message = output.addObject();
            message.put("type", "message");
            message.put("id", "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b");
            message.put("status", "completed");
            message.put("role", "assistant");
            ObjectNode text = message.putArray("content").addObject();
            text.put("type", "output_text");
            text.put("text", reply.text());
            text.putArray("annotations");
        }
        root.put("parallel_tool_calls", true);
        root.putNull("previous_response_id");
        root.put("store", true);
        root.put("temperature", 1.0);
        root.put("tool_choice", "auto");
        root.putArray("tools");
        root.put("top_p", 1.0);
        root.put("truncation", "disabled");
        if (completed && reply.usage()) {
            ObjectNode usage = root.putObject("usage");
            usage.put("input_tokens", reply.promptTokens());
            usage.putObject("input_tokens_details").put("cached_tokens", reply.cachedTokens());
            usage.put("output_tokens", reply.completionTokens());
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
        } else {
            root.putNull("usage");
        }
        root.putNull("user");
        root.putObject("metadata");
        return root;
    }

    /** Whole SSE events ({@code event:} and {@code data:} lines) of a Responses API stream. */
    static List<String> responseEvents(String model, FakeReply reply) {
        return responseEvents(RESPONSE_ID, model, reply);
    }

    static List<String> responseEvents(String id, String model, FakeReply reply) {
        List<String> events = new ArrayList<>();
        int sequence = 0;
        ObjectNode created = JSON.createObjectNode();
        created.put("type", "response.created");
        created.put("sequence_number", sequence++);
        created.set("response", response(id, model, reply, "in_progress"));
        events.add(event("response.created", created));
        for (String text : reply.deltas()) {
            ObjectNode delta = JSON.createObjectNode();
            delta.put("type", "response.output_text.delta");
            delta.put("sequence_number", sequence++);
            delta.put("item_id", "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b");
            delta.put("output_index", 0);
            delta.put("content_index", 0);
            delta.put("delta", text);
            events.add(event("response.output_text.delta", delta));
        }
        ObjectNode completed = JSON.createObjectNode();
        completed.put("type", "response.completed");
        completed.put("sequence_number", sequence);
        completed.set("response", response(id, model, reply, "completed"));
        events.add(event("response.completed", completed));
        return events;
    }

    private static String event(String name, ObjectNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    static ObjectNode embeddings(String model, FakeReply reply, boolean base64) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ObjectNode item = root.putArray("data").addObject();
        item.put("object", "embedding");
        item.put("index", 0);
        if (base64) {
            ByteBuffer buffer = ByteBuffer.allocate(EMBEDDING.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : EMBEDDING) {
                buffer.putFloat(f);
            }
            item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
        } else {
            ArrayNode vector = item.putArray("embedding");
            for (float f : EMBEDDING) {
                vector.add(f);
            }
        }
        root.put("model", model);
        if (reply.usage()) {
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", reply.promptTokens());
            usage.put("total_tokens", reply.promptTokens());
        }
        return root;
    }

    /** {@code {created, data:[{url|b64_json}], usage?}}; usage (gpt-image) only for models named gpt-image*. */
    static ObjectNode images(String model, FakeReply reply, int count, boolean b64) {
        ObjectNode root = JSON.createObjectNode();
        root.put("created", CREATED);
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < count; i++) {
            ObjectNode image = data.addObject();
            if (b64) {
                image.put("b64_json", Base64.getEncoder().encodeToString(("png-" + i).getBytes()));
            } else {
                image.put("url", "https://oaidalleapiprodscus.blob.core.windows.net/private/img-" + i + ".png");
                image.put("revised_prompt", "A cute baby sea otter");
            }
        }
        if (model.startsWith("gpt-image") && reply.usage()) {
            ObjectNode usage = root.putObject("usage");
            usage.put("input_tokens", reply.promptTokens());
            usage.put("output_tokens", reply.completionTokens());
            usage.put("total_tokens", reply.promptTokens() + reply.completionTokens());
            ObjectNode details = usage.putObject("input_tokens_details");
            details.put("text_tokens", reply.promptTokens());
            details.put("image_tokens", 0);
        }
        return root;
    }

    static ObjectNode transcription(FakeReply reply) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", "Imagine the wildest idea that you've ever had.");
        if (reply.usage()) {
            ObjectNode usage = root.putObject("usage");
            usage.put("type", "duration");
            usage.put("seconds", reply.audioSeconds());
        }
        return root;
    }

    static ObjectNode moderation(String model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "modr-0d9740456c391e43c445bf0f010940c7");
        root.put("model", model);
        ObjectNode result = root.putArray("results").addObject();
        result.put("flagged", false);
        ObjectNode categories = result.putObject("categories");
        ObjectNode scores = result.putObject("category_scores");
        for (String category : List.of("harassment", "hate", "self-harm", "sexual", "violence")) {
            categories.put(category, false);
            scores.put(category, 0.0001);
        }
        return root;
    }

    private static ObjectNode head(String id, String object, String model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", CREATED);
        root.put("model", model);
        return root;
    }
}
