package dev.antler.health;

import io.vertx.core.MultiMap;

/** The smallest real request that shows a channel works: its key is accepted and its account can pay. */
public record ProbeRequest(String method, String url, MultiMap headers, String body) {}
