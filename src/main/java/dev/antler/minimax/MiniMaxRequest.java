package dev.antler.minimax;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A checked MiniMax submit.
 *
 * @param api        the API it goes to
 * @param model      the model asked
 * @param seconds    the seconds of video asked (the model's default filled in)
 * @param resolution the resolution asked (the model's default filled in)
 * @param held       the seconds the hold covers: those asked, and for V2 the most seconds of reference video
 *                   MiniMax may bill besides (it bills them at the output's rate)
 * @param upstream   the body sent upstream: the client's, its {@code callback_url} removed, defaults filled in
 * @param callback   the client's {@code callback_url}, or null
 * @param facts      what the task keeps for its views: the request's facts and the links' (null until known)
 */
record MiniMaxRequest(MiniMaxApi api, MiniMaxModels.Model model, int seconds, String resolution, int held,
                      ObjectNode upstream, String callback, ObjectNode facts) {

    MiniMaxRequest {
        requireNonNull(api, "api");
        requireNonNull(model, "model");
        requireNonNull(resolution, "resolution");
        requireNonNull(upstream, "upstream");
    }

    MiniMaxRequest withFacts(ObjectNode facts) {
        return new MiniMaxRequest(api, model, seconds, resolution, held, upstream, callback, facts);
    }

    /**
     * The price key: {@code minimax/<model>/<seconds>/<resolution>} for V1 (MiniMax prices each video by its
     * length and resolution), {@code minimax/<model>/<resolution>} for V2 (priced per second).
     */
    String priceKey() {
        return api == MiniMaxApi.V1 ? "minimax/" + model.name() + "/" + seconds + "/" + resolution
                : "minimax/" + model.name() + "/" + resolution;
    }
}
