-- webhook_due = 1: the task changed since its notifyHook last received it (set by each status change of a
-- task with a hook, in the same compare-and-set; cleared once that state was delivered or given up after
-- all attempts). Deliveries still owed when the gateway stopped are sent once more at the next start.
ALTER TABLE tasks ADD COLUMN webhook_due INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tasks_webhook_due ON tasks (webhook_due);
-- Code 21 ("already exists") looks up the task the gateway already has for an upstream task.
CREATE INDEX tasks_upstream ON tasks (channel_id, upstream_id);
