package dev.antler.tasks;

/** The caller's own tasks of one family, by public id; another user's task is indistinguishable from none. */
@FunctionalInterface
public interface OwnTasks {

    /** The caller's task {@code publicId}, or a 404 naming {@code field}. */
    Task find(String field, String publicId);
}
