package dev.antler.flux;

import static java.util.Objects.requireNonNull;

import dev.antler.core.GatewayException;
import dev.antler.images.ImageAsk;
import dev.antler.images.ImageDialect;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import java.math.BigInteger;
import java.util.EnumSet;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * BFL's text-to-image models on OpenAI's images route: the OpenAI body becomes the model's own request
 * ({@code prompt}; {@code size} → {@code width}/{@code height} for FLUX.2 and FLUX.1, → the reduced
 * {@code aspect_ratio} for Kontext and Ultra), submitted by the family's own submit — so checked, priced and billed
 * as a native call — and awaited by the route. One image per task: {@code n} above 1 is refused. The image-editing
 * tools (fill, expand, canny, depth) need an input image and are not offered here.
 */
final class FluxImageDialect implements ImageDialect {

    private static final Set<FluxModel.Kind> TEXT_TO_IMAGE = EnumSet.of(FluxModel.Kind.FLUX2, FluxModel.Kind.KONTEXT,
            FluxModel.Kind.ULTRA, FluxModel.Kind.FLUX1);

    private final FluxSubmit submit;

    FluxImageDialect(FluxSubmit submit) {
        this.submit = requireNonNull(submit, "submit");
    }

    @Override
    public boolean claims(String model) {
        return FluxModel.of(model).filter(m -> TEXT_TO_IMAGE.contains(m.kind)).isPresent();
    }

    @Override
    public Own<?> own(ImageAsk ask, ClientRequest client) {
        FluxModel model = FluxModel.of(ask.model()).orElseThrow();
        if (ask.n() != 1) {
            throw GatewayException.badRequest("invalid_n", "n: " + ask.n() + " (expected: 1 for " + model.id
                    + ", which makes one image per request)");
        }
        ObjectNode body = Json.object().put("prompt", ask.prompt());
        int[] wh = ask.dimensions();
        if (wh != null) {
            if (model.kind == FluxModel.Kind.KONTEXT || model.kind == FluxModel.Kind.ULTRA) {
                int gcd = BigInteger.valueOf(wh[0]).gcd(BigInteger.valueOf(wh[1])).intValue();
                body.put("aspect_ratio", wh[0] / gcd + ":" + wh[1] / gcd);
            } else {
                body.put("width", wh[0]).put("height", wh[1]);
            }
        }
        return new Own<>(submit, client.postedAs(FluxSubmit.PREFIX + model.id, Json.bytes(body)));
    }

    @Override
    public String fetchHint(String taskId) {
        return "GET /flux/v1/get_result?id=" + taskId;
    }
}
