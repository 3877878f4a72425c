package dev.antler.anthropic;

import dev.antler.json.Json;
import dev.antler.relay.ResponseRewriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Rewrites a complete non-streamed answer into the client's format. */
final class Translated implements ResponseRewriter {

    private static final int MAX_ANSWER = 64 * 1024 * 1024;

    private final Function<JsonNode, ObjectNode> translation;

    Translated(Function<JsonNode, ObjectNode> translation) {
        this.translation = translation;
    }

    @Override
    public int maxBytes() {
        return MAX_ANSWER;
    }

    @Override
    public CompletionStage<byte[]> rewrite(byte[] answer) {
        try {
            return CompletableFuture.completedFuture(Json.bytes(translation.apply(Json.MAPPER.readTree(answer))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e); // not the documented answer: relayed as it came
        }
    }
}
