package dev.antler.accounts;

/** A customer account with a prepaid balance. */
public record User(long id, String name, String group, Status status, long balanceNanos, long usedNanos,
                   long requestCount, long createdAt) {}
