package dev.antler.midjourney;

import dev.antler.core.GatewayException;
import dev.antler.images.ImageAsk;
import dev.antler.images.ImageDialect;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.ResultFiles;
import dev.antler.tasks.Task;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Midjourney on OpenAI's images route: {@code midjourney} (the channel's own speed) or {@code midjourney-fast},
 * {@code -relax}, {@code -turbo} become an imagine ({@code prompt}; {@code size} → {@code --ar W:H} appended), run by
 * the family's own submit — routed, priced and billed as {@code /mj/submit/imagine} — and awaited by the route. An
 * imagine makes one image, the four-picture grid: {@code n} above 1 is refused.
 */
final class MjImageDialect implements ImageDialect {

    private static final Map<String, String> MODES = Map.of("midjourney", "", "midjourney-fast", "fast",
            "midjourney-relax", "relax", "midjourney-turbo", "turbo");

    private final Map<String, MjSubmitOperation> imagines;

    /** @param publicBaseUrl the gateway's external base URL for image links; null: from the request's host */
    MjImageDialect(String publicBaseUrl) {
        this.imagines = Map.of("", new MjSubmitOperation("submit/imagine", null, publicBaseUrl),
                "fast", new MjSubmitOperation("submit/imagine", "fast", publicBaseUrl),
                "relax", new MjSubmitOperation("submit/imagine", "relax", publicBaseUrl),
                "turbo", new MjSubmitOperation("submit/imagine", "turbo", publicBaseUrl));
    }

    @Override
    public boolean claims(String model) {
        return MODES.containsKey(model);
    }

    @Override
    public Own<?> own(ImageAsk ask, ClientRequest client) {
        if (ask.n() != 1) {
            throw GatewayException.badRequest("invalid_n", "n: " + ask.n() + " (expected: 1 for " + ask.model()
                    + ", which makes one four-picture grid per request)");
        }
        String prompt = ask.prompt();
        int[] wh = ask.dimensions();
        if (wh != null && !prompt.contains("--ar ") && !prompt.contains("--aspect ")) {
            int gcd = BigInteger.valueOf(wh[0]).gcd(BigInteger.valueOf(wh[1])).intValue();
            prompt = prompt + " --ar " + wh[0] / gcd + ":" + wh[1] / gcd;
        }
        ObjectNode body = Json.object().put("prompt", prompt);
        String mode = MODES.get(ask.model());
        return new Own<>(imagines.get(mode), client.postedAs((mode.isEmpty() ? "" : "/mj-" + mode)
                + "/mj/submit/imagine", Json.bytes(body)));
    }

    @Override
    public String fetchHint(String taskId) {
        return "GET /mj/task/" + taskId + "/fetch";
    }

    /** A finished task's image: the {@code imageUrl} the upstream reported (its grid, or the picture upscaled). */
    static List<ResultFiles.ResultFile> resultFiles(Task task, Channel channel) {
        String url = MjTaskView.payload(task).path("imageUrl").asString("").strip();
        return url.isEmpty() ? List.of() : List.of(ResultFiles.ResultFile.image(url));
    }
}
