package dev.antler.replicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Replicate's webhook events ({@code webhook_events_filter}): {@code start} when the prediction starts,
 * {@code output} when it has new output, {@code logs} when it has new logs, {@code completed} when it ends (succeeded,
 * failed or canceled). The gateway learns of them by polling, so one change may carry several (a prediction seen
 * first when finished is one {@code completed} webhook), and output and logs come at most once per look upstream.
 */
final class WebhookEvents {

    static final String START = "start";
    static final String OUTPUT = "output";
    static final String LOGS = "logs";
    static final String COMPLETED = "completed";
    static final List<String> ALL = List.of(START, OUTPUT, LOGS, COMPLETED);

    private WebhookEvents() {}

    /**
     * The events between two states of a prediction (Replicate's status words; output and logs as reported, missing
     * nodes for none).
     */
    static List<String> between(String before, JsonNode outputBefore, String logsBefore, String after,
                                JsonNode outputAfter, String logsAfter) {
        List<String> events = new ArrayList<>();
        if (!before.equals(after) && ReplicateStatus.terminal(after)) {
            events.add(COMPLETED);
        } else if (before.equals("starting") && after.equals("processing")) {
            events.add(START);
        }
        if (!outputAfter.isMissingNode() && !outputAfter.isNull() && !outputAfter.equals(outputBefore)) {
            events.add(OUTPUT);
        }
        if (!logsAfter.isEmpty() && !Objects.equals(logsAfter, logsBefore)) {
            events.add(LOGS);
        }
        return events;
    }
}
