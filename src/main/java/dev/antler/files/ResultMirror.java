package dev.antler.files;

import dev.antler.json.Json;
import dev.antler.relay.ResponseRewriter;
import io.vertx.core.Future;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mirrors the images of a synchronous image answer before it is returned: each {@code data[].url} (the
 * OpenAI-style envelope of Ideogram and Recraft generations) and a top-level {@code image.url} (Recraft's
 * tools) is downloaded into the gateway's file store and replaced by its stable gateway URL. A download that
 * fails leaves that image's original URL, and the log says why. Nothing else in the envelope changes;
 * an answer without URLs is returned byte for byte.
 */
public final class ResultMirror implements ResponseRewriter {

    private static final Logger log = LoggerFactory.getLogger(ResultMirror.class);
    /** An envelope of URLs is a few KB; anything much larger (inline base64 images) is not one to rewrite. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final FileMirror files;
    private final String publicBase;

    public ResultMirror(FileMirror files, String publicBase) {
        this.files = files;
        this.publicBase = publicBase;
    }

    @Override
    public int maxBytes() {
        return MAX_ANSWER_BYTES;
    }

    @Override
    public CompletionStage<byte[]> rewrite(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(body);
        }
        List<Future<?>> downloads = new ArrayList<>();
        int index = 0;
        for (JsonNode image : root.path("data")) {
            mirror(image, index++, downloads);
        }
        mirror(root.path("image"), index, downloads);
        if (downloads.isEmpty()) {
            return CompletableFuture.completedFuture(body);
        }
        return Future.join(downloads).transform(done -> Future.succeededFuture(Json.bytes(root))).toCompletionStage();
    }

    private void mirror(JsonNode image, int position, List<Future<?>> downloads) {
        JsonNode url = image.path("url");
        if (image instanceof ObjectNode object && url.isString() && !url.stringValue().isEmpty()) {
            String original = url.stringValue();
            downloads.add(files.download(original)
                    .onSuccess(name -> object.put("url", FileMirror.publicUrl(publicBase, name)))
                    .onFailure(e -> log.warn("image mirror: result {} from {} keeps its original URL: {}",
                            position, host(original), e.getMessage())));
        }
    }

    private static String host(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }
}
