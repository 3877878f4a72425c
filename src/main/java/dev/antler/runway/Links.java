package dev.antler.runway;

import dev.antler.tasks.Task;

/** The gateway's link to result {@code n} of a task (never the upstream's URL), or null when it has none. */
@FunctionalInterface
interface Links {

    String link(Task task, int n);
}
