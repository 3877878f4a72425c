package dev.antler.tasks;

/**
 * The family's part of a new task, before it is stored.
 *
 * @param action     the task action shown to clients (IMAGINE, MUSIC, …)
 * @param mode       the family's variant of the action (Midjourney's speed mode), or null
 * @param request    the client-side facts kept for rendering (JSON), or null
 * @param notifyHook the client's webhook URL, or null
 */
public record TaskDraft(String action, String mode, String request, String notifyHook) {}
