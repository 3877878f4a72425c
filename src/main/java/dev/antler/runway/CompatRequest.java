package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A checked create request in the reverse format.
 *
 * @param action   the create route
 * @param model    the model asked ({@code act_one} for Act-One)
 * @param seconds  the seconds of video held: {@code options.seconds}, or {@link CompatAction#inputHold}
 * @param body     the body as sent to a reverse-format upstream: the client's, its {@code callback_url} removed
 * @param callback the client's {@code callback_url} (the gateway calls it when the task is finished), or null
 * @param version  the client's {@code X-Runway-Version}, or null when it sent none
 * @param facts    the facts its task keeps for its result links ({@link LinkFacts})
 */
record CompatRequest(CompatAction action, String model, int seconds, ObjectNode body, String callback,
                     String version, ObjectNode facts) {

    CompatRequest {
        requireNonNull(action, "action");
        requireNonNull(model, "model");
        requireNonNull(body, "body");
        requireNonNull(facts, "facts");
    }

    CompatRequest withFacts(ObjectNode facts) {
        return new CompatRequest(action, model, seconds, body, callback, version, facts);
    }

    String priceKey() {
        return "runway/" + model;
    }

    String prompt() {
        return body.path("prompt").asString("");
    }
}
