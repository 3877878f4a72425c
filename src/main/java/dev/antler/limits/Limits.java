package dev.antler.limits;

/** What the relay and the admin API share about limits: the in-memory limiter, its store and the body sizes. */
public record Limits(Limiter limiter, LimitStore store, BodyLimits body) {}
