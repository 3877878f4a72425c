package dev.antler.images;

import dev.antler.json.Json;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI's images answer, {@code {created, data: [{url | b64_json, revised_prompt?}]}}, for images of any family. */
final class OpenAiImages {

    private OpenAiImages() {}

    /**
     * The answer for {@code images}, made at {@code created} (unix seconds); with {@code base64}, each image's
     * {@code encoded} bytes where they could be had (else its link, which still serves).
     */
    static CompletionStage<byte[]> render(long created, List<ImageDialect.Image> images,
                                          List<Future<String>> encoded, boolean base64) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        Future.join(encoded).onComplete(all -> {
            ObjectNode root = Json.object();
            root.put("created", created);
            ArrayNode data = root.putArray("data");
            for (int i = 0; i < images.size(); i++) {
                ImageDialect.Image image = images.get(i);
                ObjectNode item = data.addObject();
                Future<String> b64 = encoded.get(i);
                if (base64 && b64.succeeded() && b64.result() != null) {
                    item.put("b64_json", b64.result());
                } else if (image.url() != null) {
                    item.put("url", image.url());
                }
                if (image.revisedPrompt() != null) {
                    item.put("revised_prompt", image.revisedPrompt());
                }
            }
            done.complete(Json.bytes(root));
        });
        return done;
    }
}
