package dev.antler.anthropic;

import dev.antler.json.Json;
import dev.antler.relay.ResponseRewriter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
    public Future<Buffer> rewrite(Buffer answer) {
        try {
            return Future.succeededFuture(Buffer.buffer(Json.bytes(translation.apply(Json.MAPPER.readTree(answer.getBytes())))));
        } catch (RuntimeException e) {
            return Future.failedFuture(e); // not the documented answer: relayed as it came
        }
    }
}
