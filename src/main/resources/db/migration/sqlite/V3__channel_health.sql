-- Per-channel timeouts (null: the gateway default) and the per-attempt record of each request.
ALTER TABLE channels ADD COLUMN connect_timeout_ms BIGINT;
ALTER TABLE channels ADD COLUMN idle_timeout_ms BIGINT;
ALTER TABLE channels ADD COLUMN total_timeout_ms BIGINT;
ALTER TABLE usage_logs ADD COLUMN attempt_log TEXT;
