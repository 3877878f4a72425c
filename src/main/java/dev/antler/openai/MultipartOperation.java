package dev.antler.openai;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.multipart.MultipartScanner;
import dev.antler.multipart.Part;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.RequestBody;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenAI-format endpoint with a multipart upload: image edits, audio transcriptions and
 * translations. The body is sent upstream from its spool file; only the {@code model} part is
 * rewritten when the channel maps the model.
 */
final class MultipartOperation extends OpenAiOperation {

    private static final String DEFAULT_IMAGE_MODEL = "dall-e-2";

    MultipartOperation(OpenAiEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.MULTIPART;
    }

    @Override
    public Intent<OpenAiRequest> inspect(ClientRequest request) {
        RequestBody.Spooled spooled = (RequestBody.Spooled) request.body();
        MultipartScanner scanner = spooled.scanner();
        Map<String, String> fields = scanner.textFields();
        String model = fields.get("model");
        if (model == null || model.isBlank()) {
            if (endpoint != OpenAiEndpoint.IMAGE_EDITS) {
                throw GatewayException.badRequest("missing_model", "model: missing (expected: a form field naming the model)");
            }
            model = DEFAULT_IMAGE_MODEL;
        }
        long uploadBytes;
        if (endpoint == OpenAiEndpoint.IMAGE_EDITS) {
            uploadBytes = requireFile(scanner, "image", "image[]");
            if (fields.getOrDefault("prompt", "").isBlank()) {
                throw GatewayException.badRequest("missing_prompt", "prompt: missing (expected: a form field describing the edit)");
            }
        } else {
            uploadBytes = requireFile(scanner, "file");
        }
        long count = parseCount(fields.get("n"));
        OpenAiRequest details = new OpenAiRequest(endpoint, null, fields, 2048, count, 0, uploadBytes, false, spooled,
                null);
        return new Intent<>(model, "true".equalsIgnoreCase(fields.get("stream")), details);
    }

    private static long requireFile(MultipartScanner scanner, String... names) {
        long total = 0;
        boolean found = false;
        for (Part part : scanner.parts()) {
            for (String name : names) {
                if (part.name().equals(name) && part.size() > 0) {
                    found = true;
                    total += part.size();
                }
            }
        }
        if (!found) {
            throw GatewayException.badRequest("missing_" + names[0].replace("[]", ""), names[0]
                    + ": missing or empty (expected: a file part named " + String.join(" or ", names) + ")");
        }
        return total;
    }

    private static long parseCount(String n) {
        if (n == null || n.isBlank()) {
            return 1;
        }
        try {
            long value = Long.parseLong(n.trim());
            if (value < 1 || value > OpenAiOperations.MAX_IMAGES) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw GatewayException.badRequest("invalid_n", "n: " + n + " (expected: an integer from 1 to "
                    + OpenAiOperations.MAX_IMAGES + ")");
        }
    }

    @Override
    public long holdEstimate(Intent<OpenAiRequest> intent, Price price, HoldBasis basis) {
        return OpenAiOperations.holdEstimate(intent.details(), 1, price);
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<OpenAiRequest> intent, Channel channel, ClientRequest client) {
        RequestBody.Spooled body = intent.details().spooled();
        String upstreamModel = channel.upstreamModel(intent.model());
        Optional<Part> modelPart = body.scanner().firstPart("model");
        List<UpstreamRequest.Piece> pieces;
        if (modelPart.isPresent() && !upstreamModel.equals(intent.model())) {
            Part part = modelPart.get();
            pieces = List.of(new UpstreamRequest.FileRange(0, part.valueStart()),
                    new UpstreamRequest.Literal(upstreamModel.getBytes(StandardCharsets.UTF_8)),
                    new UpstreamRequest.FileRange(part.valueEnd(), body.length()));
        } else {
            pieces = List.of(new UpstreamRequest.FileRange(0, body.length()));
        }
        return UpstreamRequest.post(OpenAiUpstream.url(channel, endpoint.path()),
                OpenAiUpstream.headers(channel, client.headers(), body.contentType()),
                new UpstreamRequest.FilePieces(body.file(), pieces));
    }
}
