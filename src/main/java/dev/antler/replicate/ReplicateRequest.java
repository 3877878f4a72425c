package dev.antler.replicate;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A prediction as the client asked for it, checked.
 *
 * @param model      the model it runs, {@code owner/name} — or a version id that a channel lists as a model of its
 *                   own (see {@link ReplicateCatalog}): what routing, key permissions and prices go by
 * @param version    the version the client pinned (a version id), or null for the model's latest
 * @param input      the model's input, sent upstream as given
 * @param webhook    the client's webhook, or null
 * @param events     the webhook events it wants ({@link WebhookEvents})
 * @param waitSeconds the seconds {@code Prefer: wait} asks the answer to be held, or 0 for none
 * @param waitUntil  when the hold ends ({@link System#nanoTime()}), counted from the request's arrival
 * @param links      the task's link facts ({@code base} of the gateway's links in answers and webhooks, the result
 *                   links' token: {@link dev.antler.tasks.ResultLinks#addFacts})
 * @param billing    how the model is charged
 * @param units      the units held: images asked ({@code num_outputs}), {@link Billing#HELD_SECONDS}, or 1
 */
record ReplicateRequest(String model, String version, ObjectNode input, String webhook, List<String> events,
                        int waitSeconds, long waitUntil, ObjectNode links, Billing billing, long units) {}
