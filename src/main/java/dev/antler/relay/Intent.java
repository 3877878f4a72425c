package dev.antler.relay;

/**
 * What the gateway learned from the client's request.
 *
 * @param model    the model the client asked for (prices and routing use this name)
 * @param stream   whether the client asked for a streamed answer
 * @param details  family-specific state the operation keeps between inspection and the upstream call
 */
public record Intent(String model, boolean stream, Object details) {}
