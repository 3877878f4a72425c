package dev.antler.pika;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A checked Pika submit.
 *
 * @param model    Pika's model ({@code 1.5}), the default filled in
 * @param prompt   {@code promptText}
 * @param upstream the body sent upstream: the client's, without its hook, the model filled in
 * @param hook     the client's webhook URL ({@code notify_hook} or {@code callback_url}), or null
 * @param links    the task's link facts (base URL, result token), kept with it
 */
record PikaRequest(String model, String prompt, ObjectNode upstream, String hook, ObjectNode links) {

    PikaRequest {
        requireNonNull(model, "model");
        requireNonNull(upstream, "upstream");
    }

    PikaRequest withLinks(ObjectNode links) {
        return new PikaRequest(model, prompt, upstream, hook, links);
    }

    /** The model as routing and the usage log name it: {@code pika-1.5}. */
    String gatewayModel() {
        return PikaInput.GATEWAY_PREFIX + model;
    }
}
