package dev.antler.luma;

import static java.util.Objects.requireNonNull;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checked Luma submit, in Luma's official shape whatever the client's format.
 *
 * @param format     the client's wire format
 * @param model      the model
 * @param duration   the duration made ({@code 5s}, {@code 9s}), the default filled in
 * @param resolution the resolution made, the default filled in
 * @param prompt     the prompt
 * @param upstream   the official body sent upstream: no callback, defaults filled in; a keyframe naming a generation
 *                   names the gateway's id until {@link LumaSubmit#resolve} puts the upstream's in
 * @param echo       the request as the official format shows it back ({@code request}): the client's callback, the
 *                   gateway's ids
 * @param hook       the client's callback URL ({@code callback_url} or {@code notify_hook}), or null
 * @param parents    the keyframes naming an earlier generation: {@code frame0}, {@code frame1}
 * @param channelId  the channel of the generations the keyframes name (resolved), or null
 * @param links      the task's link facts (base URL, result token), kept with it
 */
record LumaRequest(LumaFormat format, LumaModel model, String duration, String resolution, String prompt,
                   ObjectNode upstream, ObjectNode echo, String hook, List<String> parents, Long channelId,
                   ObjectNode links) {

    LumaRequest {
        requireNonNull(format, "format");
        requireNonNull(model, "model");
        requireNonNull(upstream, "upstream");
        requireNonNull(echo, "echo");
        parents = List.copyOf(parents);
    }

    LumaRequest withLinks(ObjectNode links) {
        return new LumaRequest(format, model, duration, resolution, prompt, upstream, echo, hook, parents, channelId,
                links);
    }

    LumaRequest resolved(ObjectNode upstream, Long channelId) {
        return new LumaRequest(format, model, duration, resolution, prompt, upstream, echo, hook, parents, channelId,
                links);
    }

    String priceKey() {
        return LumaPrices.key(model.id, duration, resolution);
    }
}
