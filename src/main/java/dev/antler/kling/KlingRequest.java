package dev.antler.kling;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A checked Kling submit.
 *
 * @param action     what it asks for
 * @param model      {@code model_name}, the docs' default filled in
 * @param mode       {@code std} or {@code pro} for videos, else null
 * @param seconds    the seconds of video asked (5 or 10), 0 when not a video priced per second
 * @param images     the images asked ({@code n}), 0 when not an image generation
 * @param upstream   the body sent upstream: the client's, its {@code callback_url} removed, defaults filled in
 * @param callback   the client's {@code callback_url}, or null
 * @param externalId the client's {@code external_task_id}, or null
 * @param base       the gateway's base URL for the task's links (see {@link dev.antler.tasks.ResultLinks}), or null until known
 * @param resultToken   the token of the task's result links, or null until made
 * @param callbackToken the token of Kling's callback to the gateway, or null until made
 * @param unitHold   with a Kling unit price set for it, what the task is held on in Kling's units; else null
 */
record KlingRequest(KlingAction action, String model, String mode, int seconds, int images, ObjectNode upstream,
                    String callback, String externalId, String base, String resultToken,
                    String callbackToken, KlingUnits.Hold unitHold) {

    KlingRequest {
        requireNonNull(action, "action");
        requireNonNull(model, "model");
        requireNonNull(upstream, "upstream");
    }

    KlingRequest withLinks(String base, String resultToken, String callbackToken) {
        return new KlingRequest(action, model, mode, seconds, images, upstream, callback, externalId, base,
                resultToken, callbackToken, unitHold);
    }

    KlingRequest withUnitHold(KlingUnits.Hold hold) {
        return new KlingRequest(action, model, mode, seconds, images, upstream, callback, externalId, base,
                resultToken, callbackToken, hold);
    }

    /** The price key: {@code kling/<model>/<mode>} (per second), {@code kling/images/<model>}, or {@code kling/<model>}. */
    String priceKey() {
        return switch (action.billing) {
            case SECONDS -> "kling/" + model + "/" + mode;
            case IMAGES -> "kling/images/" + model;
            case CALL -> "kling/" + model;
        };
    }

    /** The units of the task's own price: seconds, images, or 1. */
    long units() {
        return switch (action.billing) {
            case SECONDS -> seconds;
            case IMAGES -> images;
            case CALL -> 1;
        };
    }
}
