package dev.antler.runway;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A checked create request in Runway's official format.
 *
 * @param endpoint the create route
 * @param model    the model asked
 * @param seconds  the seconds of video held: those asked, or the most the model makes when none were
 * @param priceKey {@code runway/<model>}, or {@code runway/<model>/no-audio} for a Veo 3.1 video asked without audio
 * @param body     the body sent upstream: the client's as sent (the model renamed per the channel's mapping)
 * @param version  the {@code X-Runway-Version} sent upstream: the client's, else {@link RunwayInput#DEFAULT_VERSION}
 * @param facts    the facts its task keeps for its result links ({@link LinkFacts})
 */
record RunwayRequest(RunwayEndpoint endpoint, String model, int seconds, String priceKey, ObjectNode body,
                     String version, ObjectNode facts) {

    RunwayRequest {
        requireNonNull(endpoint, "endpoint");
        requireNonNull(model, "model");
        requireNonNull(priceKey, "priceKey");
        requireNonNull(body, "body");
        requireNonNull(version, "version");
        requireNonNull(facts, "facts");
    }

    RunwayRequest withFacts(ObjectNode facts) {
        return new RunwayRequest(endpoint, model, seconds, priceKey, body, version, facts);
    }
}
