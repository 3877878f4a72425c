package dev.antler.core;

/**
 * The category of an error, independent of any envelope: each error format maps it (and the status) to
 * its own vocabulary.
 */
public enum ErrorKind {
    INVALID_REQUEST,
    AUTHENTICATION,
    PERMISSION,
    INSUFFICIENT_QUOTA,
    NOT_FOUND,
    TOO_LARGE,
    RATE_LIMIT,
    UPSTREAM,
    NO_CHANNEL,
    SERVER
}
