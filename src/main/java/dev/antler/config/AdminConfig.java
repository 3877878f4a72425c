package dev.antler.config;

/**
 * The admin key. When absent, the gateway creates one on first start and prints it once; only its
 * hash is stored.
 */
public record AdminConfig(String key) {}
