package dev.antler.accounts;

/** Who is calling: the key used, its user and the user's group, as of the last cache refresh. */
public record Principal(ApiKey key, User user, Group group) {}
