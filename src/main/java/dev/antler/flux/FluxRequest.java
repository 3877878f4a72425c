package dev.antler.flux;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ObjectNode;

/**
 * A submit as checked: the model, the body BFL is sent (the client's, less its webhook fields), the client's
 * webhook and its secret (kept by the gateway, which calls it; null when none), and the task's facts to keep
 * (its result links' among them) with the gateway's base URL for the links in the answer.
 */
record FluxRequest(FluxModel model, ObjectNode upstream, String webhookUrl, String webhookSecret, ObjectNode facts,
                   String base) {

    FluxRequest {
        requireNonNull(model, "model");
        requireNonNull(upstream, "upstream");
    }

    /** This request with its link facts and base. */
    FluxRequest withLinks(ObjectNode facts, String base) {
        return new FluxRequest(model, upstream, webhookUrl, webhookSecret, facts, base);
    }
}
